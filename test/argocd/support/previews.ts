/** A stack a pull-request preview can move: it refers to its Services by short name only. */
import type { KubeObject } from "../../../lib/kube-object";

export const PREVIEWS = { github: { owner: "acme", repo: "slipway" }, host: "{stack}-{number}.preview.example.com" };

const KEEP = { "argocd.argoproj.io/sync-options": "Prune=false,Delete=false" };

/** A stack that refers to its Services by short name only: one a preview can move to another namespace. */
export const relocatable: KubeObject[] = [
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "web-dev", annotations: KEEP } },
  {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "proxy", namespace: "web-dev" },
    data: { "nginx.conf": "proxy_pass http://api:8000;" },
  },
  {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "database", namespace: "web-dev", annotations: KEEP },
    spec: {
      serviceName: "database",
      selector: { matchLabels: { app: "database" } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      template: { metadata: { labels: { app: "database" } }, spec: { containers: [{ name: "postgres", image: "postgres:16" }] } },
    },
  },
  {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: "proxy", namespace: "web-dev" },
    spec: {
      tls: [{ hosts: ["dev.shop.example.com"], secretName: "proxy-tls" }],
      rules: [{ host: "dev.shop.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "proxy", port: { number: 8080 } } } }] } }],
    },
  },
];

