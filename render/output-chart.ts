/** A chart that knows where its objects go: `dist/<folder>/<top-level construct id>.yaml`. */
import { Chart, type ChartProps } from "cdk8s";
import type { Construct } from "constructs";

export interface OutputChartProps extends ChartProps {
  /** Folder below dist/, e.g. `prod/web` or `argocd`. */
  readonly folder: string;
  /** Where the objects come from, for the generated-file header, e.g. `environments/prod.yaml`. */
  readonly source: string;
}

export class OutputChart extends Chart {
  readonly folder: string;
  readonly source: string;

  constructor(scope: Construct, id: string, props: OutputChartProps) {
    super(scope, id, { ...props, disableResourceNameHashes: true });
    this.folder = props.folder;
    this.source = props.source;
  }
}
