/**
 * The string formats Kubernetes and its tools accept, stated once: the environment schema, the
 * constructs and the validation gate all check values against these, so they cannot disagree.
 */
export interface Format {
  readonly pattern: RegExp;
  /** Longest value accepted, where Kubernetes sets one. */
  readonly maxLength?: number;
  /** What a valid value looks like, for messages: `expected ${format.expected}`. */
  readonly expected: string;
}

export function matches(format: Format, value: string): boolean {
  return format.pattern.test(value) && (format.maxLength === undefined || value.length <= format.maxLength);
}

/** RFC 1123 label: names of namespaces, Services, most objects' name segments. */
export const DNS_LABEL: Format = {
  pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
  maxLength: 63,
  expected: "a DNS label (lower-case letters, digits and '-', at most 63)",
};

/** RFC 1123 subdomain: names of most objects (ConfigMaps, Secrets, storage and ingress classes). */
export const DNS_SUBDOMAIN: Format = {
  pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
  maxLength: 253,
  expected: "a DNS subdomain (lower-case letters, digits, '-' and '.', at most 253)",
};

/** A public host name an Ingress serves, optionally a wildcard (`*.example.com`). */
export const HOSTNAME: Format = {
  pattern: /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/,
  maxLength: 253,
  expected: "a DNS host name such as app.example.com",
};

/** A Kubernetes resource quantity: a decimal number with an optional SI or binary suffix. */
export const QUANTITY: Format = {
  pattern: /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/,
  expected: "a Kubernetes quantity such as 250m, 512Mi or 10Gi",
};

/** A name a container's environment variable may have (what shells and Kubernetes both accept). */
export const ENV_VAR_NAME: Format = {
  pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
  expected: "an environment variable name (letters, digits and '_', not starting with a digit)",
};

/** IANA_SVC_NAME: a container port's name, and a Service targetPort or NetworkPolicy port given by name. */
export const PORT_NAME: Format = {
  pattern: /^(?=.*[a-z])(?!.*--)[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
  maxLength: 15,
  expected: "an IANA service name (at most 15 lower-case letters, digits and single '-', with at least one letter)",
};

/** A key of a ConfigMap or Secret. */
export const DATA_KEY: Format = {
  pattern: /^[-._a-zA-Z0-9]+$/,
  maxLength: 253,
  expected: "a Secret or ConfigMap key (letters, digits, '-', '_' and '.')",
};

/** Registry host (optional port) and slash-separated path components, as the distribution spec allows. */
export const IMAGE_REPOSITORY: Format = {
  pattern: /^[a-z0-9]+([._-][a-z0-9]+)*(\.[a-z0-9]+([._-][a-z0-9]+)*)*(:[0-9]+)?(\/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*$/,
  expected: "an image repository such as ghcr.io/acme/api",
};

export const IMAGE_TAG: Format = {
  pattern: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
  maxLength: 128,
  expected: "an image tag such as 1.4.2",
};

export const IMAGE_DIGEST: Format = {
  pattern: /^sha256:[a-f0-9]{64}$/,
  expected: "a digest such as sha256:<64 hex characters>",
};

/** A Go duration, as Argo CD parses sync windows and retry back-offs. */
export const GO_DURATION: Format = {
  pattern: /^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/,
  expected: "a duration such as 30s, 5m or 1h30m",
};

/**
 * A path in Vault (a KV mount, a key prefix, an auth mount): names joined by single `/`. No `.` or `..` name:
 * a prefix such as `staging/../prod/shop` would give one environment's role the keys of another.
 */
export const VAULT_PATH: Format = {
  pattern: /^(?!(.*\/)?\.\.?(\/|$))[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/,
  expected: "a Vault path such as secret or prod/shop (names of letters, digits, '-', '_' and '.' joined by '/', none of them '.' or '..')",
};

/** A size as nginx reads it (client_max_body_size…): digits, optionally followed by k, m or g. */
export const NGINX_SIZE: Format = {
  pattern: /^[0-9]+[kmg]?$/,
  expected: "an nginx size (digits, optionally followed by k, m or g) such as 10m",
};

/** An AMQP topic routing key: words of letters, digits, '-' and '_', separated by '.' (at most 255 bytes). */
export const AMQP_ROUTING_KEY: Format = {
  pattern: /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/,
  maxLength: 255,
  expected: "a routing key such as orders.created (words of letters, digits, '-' and '_', separated by '.')",
};

/** A topic exchange binding key: a routing key whose words may also be `*` (exactly one word) or `#` (any number). */
export const AMQP_BINDING_KEY: Format = {
  pattern: /^([A-Za-z0-9_-]+|\*|#)(\.([A-Za-z0-9_-]+|\*|#))*$/,
  maxLength: 255,
  expected: "a binding key such as orders.created, orders.* or orders.# (words of letters, digits, '-' and '_', or * and #, separated by '.')",
};

/** A Solr core or collection name, as Solr's SolrIdentifierValidator accepts it (no leading '-'). */
export const SOLR_CORE: Format = {
  pattern: /^[A-Za-z0-9._][A-Za-z0-9._-]*$/,
  expected: "a Solr core name (letters, digits, '.', '_' and '-', not starting with '-')",
};

/** A JVM memory size as -Xmx and Solr's SOLR_HEAP read it: digits and k, m or g (powers of 1024). */
export const JAVA_SIZE: Format = {
  pattern: /^[0-9]+[kKmMgG]$/,
  expected: "a JVM memory size such as 512m or 2g",
};

/** An S3 bucket name (AWS's rules, which S3-compatible stores follow): path-style URLs need no more. */
export const S3_BUCKET: Format = {
  pattern: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
  maxLength: 63,
  expected: "an S3 bucket name (3 to 63 lower-case letters, digits, '.' and '-')",
};
