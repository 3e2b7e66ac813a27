import { isClusterScoped, type RenderedResource } from "../../../argocd/index";
import { clusterResources, namespacedKinds } from "../../../argocd/lib/resources";

const r = (apiVersion: string, kind: string, name: string): RenderedResource => ({ apiVersion, kind, name, toJson: () => ({}) });

describe("what a folder renders, as its AppProject allows it", () => {
  const rendered = [
    r("apps/v1", "Deployment", "api"),
    r("v1", "Service", "api"),
    r("apps/v1", "Deployment", "proxy"),
    r("v1", "Namespace", "shop"),
    r("rbac.authorization.k8s.io/v1", "ClusterRole", "reader"),
    r("external-secrets.io/v1", "ExternalSecret", "db"),
    r("cert-manager.io/v1", "ClusterIssuer", "letsencrypt"),
  ];

  test("each namespaced group and kind once, in code-point order", () => {
    expect(namespacedKinds(rendered)).toEqual([
      { group: "", kind: "Service" },
      { group: "apps", kind: "Deployment" },
      { group: "external-secrets.io", kind: "ExternalSecret" },
    ]);
  });

  test("each cluster-scoped object by its name", () => {
    expect(clusterResources(rendered)).toEqual([
      { group: "", kind: "Namespace", name: "shop" },
      { group: "cert-manager.io", kind: "ClusterIssuer", name: "letsencrypt" },
      { group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "reader" },
    ]);
  });

  test("scope is told by group and kind: a namespaced kind of the same name in another group is namespaced", () => {
    expect(isClusterScoped({ apiVersion: "v1", kind: "Namespace" })).toBe(true);
    expect(isClusterScoped({ apiVersion: "example.com/v1", kind: "Namespace" })).toBe(false);
    expect(isClusterScoped({ apiVersion: "networking.k8s.io/v1", kind: "IngressClass" })).toBe(true);
  });
});
