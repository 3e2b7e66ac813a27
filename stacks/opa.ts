/**
 * opa-stack (seeds/000): a FastAPI/uvicorn API serving REST, GraphQL and WebSocket, MongoDB as its general
 * database (motor), a Redis job queue and a worker consuming it, run as two instances in different security
 * contexts.
 *
 * Choices where the seed is vague:
 * - The two instances are `api` (public: the only one the proxy routes to, behind the ingress) and
 *   `api-internal` (no route, no ingress: in-cluster only). Each has its own ServiceAccount and
 *   NetworkPolicy. They call each other only where `links` says so (off by default); a link gives the
 *   caller `API_URL` or `API_INTERNAL_URL` and opens exactly that path.
 * - Both instances and the worker run the same image (the seed's one API image with plugins), so a
 *   promotion moves them together; the internal instance and the worker set only their scale and env.
 * - The queue is Redis (the Cache construct) with `noeviction`: a job queue that evicted under memory
 *   pressure would lose jobs silently; its append-only file is a setting (prod keeps one).
 * - The proxy forwards WebSocket upgrades on `/ws`; REST (`/`) and GraphQL (`/graphql`) are plain HTTP.
 * - The worker is `python -m opa.worker` unless `worker.command` says otherwise, and proves it is alive
 *   by touching /tmp/heartbeat at least once a minute.
 * - The API scales with an HPA where the environment gives `autoscaling` (prod).
 *
 * The call path, exactly what the NetworkPolicies allow: ingress controller → proxy → api; api,
 * api-internal and worker → database and queue; the database's setup and backup → database; api ↔
 * api-internal only where linked.
 */
import { z } from "zod";
import { Api } from "../constructs/api";
import { Cache } from "../constructs/cache";
import { Database } from "../constructs/database";
import { Worker } from "../constructs/worker";
import { EnvValues, Resources, Scaling, StackBase } from "../environments/schema";
import { defineStack } from "./lib/define";
import { frontDoor } from "./lib/front-door";
import { ApiSettings, CacheSettings, DatabaseSettings, ProxySettings, WorkerSettings } from "./lib/settings";

/** The worker's liveness: its heartbeat file is younger than a minute. */
const HEARTBEAT = ["sh", "-c", "test $(( $(date +%s) - $(stat -c %Y /tmp/heartbeat) )) -lt 60"];

export default defineStack({
  settings: StackBase.extend({
    api: ApiSettings,
    internal: z
      .object({ ...Scaling, resources: Resources.default(Api.defaults.resources), env: EnvValues })
      .strict()
      .prefault({})
      .describe("The internal instance: the API's image, in-cluster only."),
    links: z
      .object({
        publicToInternal: z.boolean().default(false).describe("The public API may call the internal one (API_INTERNAL_URL)."),
        internalToPublic: z.boolean().default(false).describe("The internal API may call the public one (API_URL)."),
      })
      .strict()
      .prefault({})
      .describe("Which instance may call the other; none by default."),
    worker: WorkerSettings.omit({ image: true })
      .extend({ command: z.array(z.string().min(1)).min(1).default(["python", "-m", "opa.worker"]).describe("The queue consumer's command.") })
      .prefault({}),
    database: DatabaseSettings.omit({ engine: true }),
    queue: CacheSettings.omit({ maxmemoryPolicy: true }),
    proxy: ProxySettings,
  }).strict(),

  build(scope, { settings, env, secrets }) {
    const database = new Database(scope, "database", { ...settings.database, engine: "mongodb", secrets });
    const queue = new Cache(scope, "queue", { ...settings.queue, maxmemoryPolicy: "noeviction", secrets });
    const image = settings.api.image;
    const api = new Api(scope, "api", settings.api);
    const internal = new Api(scope, "api-internal", { ...settings.internal, image, port: settings.api.port });
    const worker = new Worker(scope, "worker", { ...settings.worker, image, probe: { exec: HEARTBEAT } });
    for (const component of [api, internal, worker]) component.connect(database).connect(queue);
    if (settings.links.publicToInternal) api.connect(internal);
    if (settings.links.internalToPublic) internal.connect(api);
    frontDoor(scope, { settings, env }, [
      { path: "/", to: api },
      { path: "/graphql", to: api },
      { path: "/ws", to: api, websocket: true },
    ]);
  },
});
