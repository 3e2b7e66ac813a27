/**
 * A stack's front door: its nginx proxy, named `proxy`, serving the stack's hosts through the environment's
 * ingress controller, with the proxy settings of its environment file and the routes the stack gives.
 */
import type { Construct } from "constructs";
import type { z } from "zod";
import { Proxy, type IngressController, type ProxyRouteProps } from "../../constructs/proxy";
import type { ProxySettings } from "./settings";

export interface FrontDoorContext {
  readonly settings: { readonly hosts: readonly string[]; readonly proxy: z.output<typeof ProxySettings> };
  readonly env: { readonly ingress: IngressController };
}

export function frontDoor(scope: Construct, { settings, env }: FrontDoorContext, routes: readonly ProxyRouteProps[]): Proxy {
  return new Proxy(scope, "proxy", { ...settings.proxy, hosts: settings.hosts, ingress: env.ingress, routes });
}
