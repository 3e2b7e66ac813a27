/**
 * The homelab weather app (seeds/004): a FastAPI API keeping its data in SQLite on a persistent volume,
 * and a React frontend, on a small k3s server.
 *
 * Choices where the seed is vague:
 * - SQLite allows one writer: the API runs one pod, replaced with `Recreate` (the old pod stops before the
 *   new one mounts the volume), on a ReadWriteOnce claim that no sync, prune or deleted code removes. The
 *   workload surface refuses more replicas, autoscaling or a rolling update on such a claim.
 *   The database file is /data/weather.db (`DATABASE_URL=sqlite:////data/weather.db`).
 * - The seed's PV over NFS becomes the cluster's storage class as a setting: k3s's `local-path` in the
 *   homelab files; an NFS class works the same (SQLite wants local disk for its locks, hence the default).
 * - An nginx proxy in front, as in every stack here: `/` to the static React build, `/api` to the API, and
 *   the Ingress through k3s's Traefik (ingress class `traefik`, controller in `kube-system`).
 * - Its own cluster: `environments/homelab-dev.yaml` (namespace `weather-dev`, synced automatically) and
 *   `environments/homelab.yaml` (namespace `weather`, synced by hand), both on the homelab k3s server, so
 *   the shop's environments keep their nginx ingress. Prod changes only by promoting dev's images:
 *   `npm run promote -- homelab-dev homelab`, then a pull request (the seed's "prod re-tags dev's images").
 * - No secrets: the API keeps no passwords (a weather API key would be an ExternalSecret, as in `web`).
 * - Small requests for a shared desktop-class machine (set in the homelab files).
 *
 * The call path, exactly what the NetworkPolicies allow: Traefik → proxy → frontend and api.
 */
import { z } from "zod";
import { Api } from "../constructs/api";
import { Frontend } from "../constructs/frontend";
import { SharedVolume } from "../constructs/shared-volume";
import { EnvValues, ImageRef, Resources, StackBase, Storage } from "../environments/schema";
import { defineStack } from "./lib/define";
import { frontDoor } from "./lib/front-door";
import { FrontendSettings, ProxySettings } from "./lib/settings";

const DATA = "/data";

export default defineStack({
  settings: StackBase.extend({
    api: z
      .object({ image: ImageRef, resources: Resources.default(Api.defaults.resources), env: EnvValues })
      .strict()
      .describe("The FastAPI server: one pod, always (SQLite has one writer)."),
    data: Storage.describe("The SQLite volume (ReadWriteOnce), e.g. { size: 1Gi, storageClassName: local-path }."),
    frontend: FrontendSettings.omit({ mode: true, env: true }).describe("The React build, served by nginx."),
    proxy: ProxySettings,
  }).strict(),

  build(scope, { settings, env }) {
    const data = new SharedVolume(scope, "data", { ...settings.data, accessMode: "ReadWriteOnce" });
    const api = new Api(scope, "api", {
      ...settings.api,
      env: { ...settings.api.env, DATABASE_URL: `sqlite:///${DATA}/weather.db` },
      strategy: "Recreate",
      volumes: { [DATA]: { claim: data } },
    });
    frontDoor(scope, { settings, env }, [
      { path: "/", to: new Frontend(scope, "frontend", { ...settings.frontend, mode: "static" }) },
      { path: "/api", to: api },
    ]);
  },
});
