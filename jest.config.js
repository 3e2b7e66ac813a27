/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // kubernetes-models, @kubernetes-models/*, their is-cidr chain and @secretlint/* are ESM-only: swc turns them into
  // CommonJS for jest, so the transform must not skip them.
  transform: { "^.+\\.(t|j)sx?$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }] },
  transformIgnorePatterns: ["/node_modules/(?!(kubernetes-models|@kubernetes-models|is-cidr|cidr-regex|ip-regex|ip-bigint|@secretlint)/)"],
  resolver: "<rootDir>/test/support/resolver.js",
  reporters: ["default", "<rootDir>/test/support/summary-reporter.js"],
};
