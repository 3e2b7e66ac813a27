/**
 * The cdk8s app, run by `cdk8s synth` (see cdk8s.yaml) and, through cli/launch.mjs, by `npm run synth`:
 * render every environment × stack, validate, and write the output folder. The work lives in cli/synth.ts.
 */
import { main } from "./cli/synth";

void main(process.argv.slice(2));
