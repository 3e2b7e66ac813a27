/** One stack in one environment, as an Argo CD Application syncing `dist/<env>/<stack>`. */
import type { IApplication } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { ApiObject } from "cdk8s";
import { Construct } from "constructs";
import {
  applicationTemplate,
  checkApplication,
  type ApplicationSettings,
  type ApplicationTarget,
} from "./lib/application-template";
import { assertProps, dnsLabel } from "./lib/checks";
import { childAnnotations, WAVES } from "./lib/metadata";

export interface StackApplicationProps extends ApplicationTarget, ApplicationSettings {
  /**
   * The Application's name; stable, so links, windows and roles can name it.
   * @default `${stack}-${env}`
   */
  readonly name?: string;
}

export class StackApplication extends Construct {
  readonly name: string;
  readonly object: ApiObject;

  constructor(scope: Construct, id: string, props: StackApplicationProps) {
    super(scope, id);
    this.name = props.name ?? `${props.stack}-${props.env}`;
    assertProps(`StackApplication '${this.name}'`, [dnsLabel("name", this.name), ...checkApplication(props, props)]);
    const template = applicationTemplate(this.name, props, props);
    const application: IApplication = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { ...template.metadata, annotations: { ...childAnnotations(WAVES.application), ...template.metadata.annotations } },
      spec: template.spec,
    };
    this.object = new ApiObject(this, "Resource", application);
  }
}
