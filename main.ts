/**
 * The cdk8s app, run by `npm run synth` and by `cdk8s synth` (see cdk8s.yaml): render every environment ×
 * stack, validate, and write the output folder. The work lives in cli/synth.ts.
 */
import { main } from "./cli/synth";

void main();
