/**
 * The cdk8s app: render every environment × stack, validate, and write the output folder (the work lives
 * in cli/synth.ts). `npm run synth` and `cdk8s synth` run it through cli/launch.mjs, which type-checks
 * beside the render; run directly (`node .build/main.js`) it renders without the type-check.
 */
import { main } from "./cli/synth";

export { main, TypeCheckFailed } from "./cli/synth";

if (require.main === module) void main(process.argv.slice(2));
