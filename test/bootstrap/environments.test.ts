/**
 * The bootstrap reads the environment files without knowing any stack's settings: it needs clusters, the
 * Argo CD namespace and the Git source, and checks each stack only for its base fields.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { loadEnvironments } from "../../environments";
import { problemsOf } from "../support/problems";

const ENVIRONMENTS = join(__dirname, "../../environments");


describe("loadEnvironments without stack settings", () => {
  test("reads every committed environment with its cluster and Argo CD source", () => {
    const envs = loadEnvironments(ENVIRONMENTS);
    const prod = envs.find((e) => e.name === "prod")!;
    expect(prod.data.cluster).toEqual({ name: "prod-eu-1", server: "https://prod-eu-1.k8s.example.com:6443" });
    expect(prod.data.argocd).toMatchObject({ namespace: "argocd", targetRevision: "main", repoURL: "https://github.com/acme/slipway.git" });
    expect(prod.data.stacks.web).toMatchObject({ namespace: "shop", hosts: ["shop.example.com", "www.shop.example.com"] });
  });

  test("checks a stack's base fields and leaves the rest of its settings to the stack", () => {
    const dir = mkdtempSync(join(tmpdir(), "slipway-envs-"));
    const dev = readFileSync(join(ENVIRONMENTS, "dev.yaml"), "utf8")
      .replace("namespace: web-dev", "namespace: Web_Dev")
      .replace("    api:\n", "    indexer: { anythingTheStackAccepts: true }\n    api:\n");
    writeFileSync(join(dir, "dev.yaml"), dev);
    const file = join(relative(process.cwd(), dir), "dev.yaml");
    expect(problemsOf(() => loadEnvironments(dir))).toEqual([
      `${file}:18:16: stacks.web.namespace: expected a DNS label (lower-case letters, digits and '-', at most 63), got 'Web_Dev'`,
    ]);
  });
});
