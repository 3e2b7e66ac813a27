import { ConfigError, quoted, redacted } from "../../lib/errors";

describe("no message shows a secret", () => {
  test.each([
    ["https://user:token@github.com/acme/app.git", "https://***@github.com/acme/app.git"],
    ["https://ghp_0123456789abcdef@github.com/acme/app.git", "https://***@github.com/acme/app.git"],
    ["got 'http://admin:s3cret@vault:8200'", "got 'http://***@vault:8200'"],
    ["ssh://git:hunter2@git.example.com/app.git", "ssh://git:***@git.example.com/app.git"],
  ])("credentials in %s are replaced by ***", (text, expected) => expect(redacted(text)).toBe(expected));

  test.each(["ssh://git@github.com/acme/app.git", "https://github.com/acme/app.git", "http://example.com/a@b", "ops@example.com"])(
    "%s has none, and is shown as it is",
    (text) => expect(redacted(text)).toBe(text),
  );

  test("a ConfigError redacts every problem it lists", () => {
    const error = new ConfigError(["environments/prod.yaml:12:3: argocd.repoURL: got 'https://me:ghp_abc@github.com/acme/app.git'"]);
    expect(error.problems).toEqual(["environments/prod.yaml:12:3: argocd.repoURL: got 'https://***@github.com/acme/app.git'"]);
    expect(error.message).toBe(error.problems[0]);
  });
});

describe("no message shows megabytes of input", () => {
  test("a long value is quoted by its first 80 characters and its length", () => {
    expect(quoted(`${"a".repeat(80)}${"b".repeat(1_000_000)}`)).toBe(`'${"a".repeat(80)}…' (1000080 characters)`);
    expect(quoted("short")).toBe("'short'");
  });

  test("a ConfigError clips each problem to 2000 characters", () => {
    const [problem] = new ConfigError([`environments/dev.yaml: ${"x".repeat(5000)}`]).problems;
    expect(problem).toBe(`environments/dev.yaml: ${"x".repeat(2000 - 23)}… (3023 more characters)`);
  });
});
