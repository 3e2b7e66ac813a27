/**
 * Exceptions: only through the object's own `slipway.dev/allow` annotation, one `<rule-id>: <reason>`
 * entry per line (or separated by ';'), the reason a sentence; the Pod Security and secret rules cannot be
 * waived; every waived finding is listed in the report.
 */
import { formatReport, RULE_GROUPS } from "../../validation";
import { checkObjects, lines } from "./support";

const REASON = "nginx writes its pid file to /run; the image is rebuilt without it in SHOP-123";

const pod = (allow?: string) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web", ...(allow === undefined ? {} : { annotations: { "slipway.dev/allow": allow } }) },
  spec: { containers: [{ name: "web", image: "nginx:1.27.3" }] },
});

describe("slipway.dev/allow", () => {
  test("an allowed rule with a reason moves its findings to the report's allowed list", async () => {
    const report = await checkObjects([pod(`read-only-root-filesystem: ${REASON}`)]);
    expect(lines(report.findings, "read-only-root-filesystem")).toEqual([]);
    expect(report.allowed).toEqual([
      {
        path: "test/objects.yaml",
        kind: "Pod",
        name: "web",
        field: "spec.containers[0].securityContext.readOnlyRootFilesystem",
        rule: "read-only-root-filesystem",
        severity: "error",
        message: "container 'web': expected true, got nothing",
        reason: REASON,
      },
    ]);
    expect(report.counts.allowed).toBe(1);
    expect(formatReport(report)).toContain(
      [
        "Allowed by slipway.dev/allow (1)",
        "  [read-only-root-filesystem] test/objects.yaml: Pod/web: spec.containers[0].securityContext.readOnlyRootFilesystem: container 'web': expected true, got nothing",
        `    reason: ${REASON}`,
      ].join("\n"),
    );
  });

  test("several entries, separated by newlines or ';'", async () => {
    const report = await checkObjects([pod("probes: a one-shot debug pod\nown-service-account: uses the default account on purpose; no-automount-token: it lists pods; read-only")]);
    expect(report.allowed.map((a) => `${a.rule}: ${a.reason}`)).toEqual([
      "probes: a one-shot debug pod",
      "probes: a one-shot debug pod",
      "own-service-account: uses the default account on purpose",
      "no-automount-token: it lists pods; read-only",
    ]);
    expect(lines(report.findings, "allow-annotation")).toEqual([]);
  });

  test("an entry without a reason is an error and waives nothing", async () => {
    const report = await checkObjects([pod("read-only-root-filesystem")]);
    expect(lines(report.findings, "allow-annotation")).toEqual([
      "Pod/web: metadata.annotations[\"slipway.dev/allow\"]: entry 'read-only-root-filesystem' has no reason; expected 'read-only-root-filesystem: <why this object is exempt>'",
    ]);
    expect(lines(report.findings, "read-only-root-filesystem")).toHaveLength(1);
    expect(report.allowed).toEqual([]);
  });

  test("a reason that is not a sentence is an error and waives nothing", async () => {
    const report = await checkObjects([pod("read-only-root-filesystem: .\nprobes: legacy\nmemory-limit: n/a, tbd")]);
    expect(lines(report.findings, "allow-annotation")).toEqual([
      "Pod/web: metadata.annotations[\"slipway.dev/allow\"]: entry 'read-only-root-filesystem' gives the reason \".\", which says nothing; expected a sentence of at least 3 words on why this object is exempt",
      "Pod/web: metadata.annotations[\"slipway.dev/allow\"]: entry 'probes' gives the reason \"legacy\", which says nothing; expected a sentence of at least 3 words on why this object is exempt",
      "Pod/web: metadata.annotations[\"slipway.dev/allow\"]: entry 'memory-limit' gives the reason \"n/a, tbd\", which says nothing; expected a sentence of at least 3 words on why this object is exempt",
    ]);
    expect(report.allowed).toEqual([]);
    expect(lines(report.findings, "probes")).toHaveLength(2);
  });

  test("the Pod Security and secret rules cannot be waived: the waiver is an error and the finding stays", async () => {
    const report = await checkObjects([pod("run-as-non-root: the image still runs as root until SHOP-9\nno-secret-data: the chart ships a default token")]);
    expect(lines(report.findings, "allow-annotation")).toEqual([
      "Pod/web: metadata.annotations[\"slipway.dev/allow\"]: rule 'run-as-non-root' cannot be waived: fix the object instead",
      "Pod/web: metadata.annotations[\"slipway.dev/allow\"]: rule 'no-secret-data' cannot be waived: fix the object instead",
    ]);
    expect(lines(report.findings, "run-as-non-root")).toEqual([
      "Pod/web: spec.containers[0].securityContext.runAsNonRoot: container 'web': expected true (here or on the pod), got nothing",
    ]);
    expect(report.allowed).toEqual([]);
  });

  test("exactly the Pod Security 'restricted' and Secrets groups are not waivable", () => {
    const unwaivable = RULE_GROUPS.map((g) => [g.title, g.rules.filter((r) => !r.waivable).length, g.rules.length]);
    expect(unwaivable).toEqual(
      RULE_GROUPS.map((g) => [g.title, ["Pod Security Standards (restricted)", "Secrets"].includes(g.title) ? g.rules.length : 0, g.rules.length]),
    );
  });

  test("an unknown rule id, a malformed entry and the schema pass are errors", async () => {
    const report = await checkObjects([pod("read-only-rootfs: typo\nschema: trust me\nRead Only: no")]);
    expect(lines(report.findings, "allow-annotation")).toEqual([
      "Pod/web: metadata.annotations[\"slipway.dev/allow\"]: unknown rule 'read-only-rootfs'; expected a rule id from docs/validation.md",
      "Pod/web: metadata.annotations[\"slipway.dev/allow\"]: rule 'schema' cannot be waived: fix the object instead",
      "Pod/web: metadata.annotations[\"slipway.dev/allow\"]: entry 'Read Only: no' is not '<rule-id>: <reason>'",
    ]);
    expect(report.findings.find((f) => f.rule === "allow-annotation")?.severity).toBe("error");
  });

  test("an entry for a rule that reports nothing is a warning to remove it", async () => {
    const report = await checkObjects([pod("no-ssh-port: the legacy image exposed sshd")]);
    expect(report.findings.filter((f) => f.rule === "allow-annotation").map((f) => [f.severity, f.message])).toEqual([
      ["warning", "allows 'no-ssh-port' but that rule reports nothing on this object; remove the entry"],
    ]);
  });

  test("the annotation waives findings on its own object only", async () => {
    const other = { ...pod(), metadata: { name: "other" } };
    const report = await checkObjects([pod(`read-only-root-filesystem: ${REASON}`), other]);
    expect(lines(report.findings, "read-only-root-filesystem")).toEqual([
      "Pod/other: spec.containers[0].securityContext.readOnlyRootFilesystem: container 'web': expected true, got nothing",
    ]);
  });
});
