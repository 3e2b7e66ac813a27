/**
 * The cdk8s app: `npm run synth` and `cdk8s synth` run it through cli/launch.mjs, which type-checks beside
 * the render (the pipeline is render/pipeline.ts; cli/synth.ts parses the arguments and prints). Run directly
 * (`node .build/main.js`) it renders without the type-check.
 */
import { main } from "./cli/synth";

export { main, TypeCheckFailed } from "./cli/synth";

if (require.main === module) void main(process.argv.slice(2));
