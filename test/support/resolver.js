// kubernetes-models and @kubernetes-models/* are ESM-only: their package.json "exports" offer only the
// "import" condition, which jest's CommonJS runtime never asks for. Resolve just those with "import"
// (swc then transforms them to CommonJS); everything else keeps jest's own conditions.
const ESM_ONLY = /^(kubernetes-models|@kubernetes-models\/)/;

module.exports = (request, options) =>
  options.defaultResolver(request, ESM_ONLY.test(request) ? { ...options, conditions: ["import", "default"] } : options);
