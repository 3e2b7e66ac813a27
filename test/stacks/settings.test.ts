/**
 * The schema building blocks a stack's settings are made of: each extendable by a stack, each default the
 * construct's own (read from it, never restated), so an environment file and the construct cannot disagree.
 */
import { z } from "zod";
import { Api } from "../../constructs/api";
import { Cache } from "../../constructs/cache";
import { Database } from "../../constructs/database";
import { Frontend } from "../../constructs/frontend";
import { Proxy } from "../../constructs/proxy";
import { Worker } from "../../constructs/worker";
import * as base from "../../environments/schema";
import * as components from "../../stacks/lib/settings";
import { ApiSettings, CacheSettings, DatabaseSettings, FrontendSettings, ProxySettings, WorkerSettings } from "../../stacks/lib/settings";

const IMAGE = { repository: "ghcr.io/acme/app", tag: "1.0.0" };

test.each(Object.entries({ ...base, ...components }).filter(([, v]) => v instanceof z.ZodObject))(
  "%s can be extended by a stack",
  (_, schema) => {
    expect(() => (schema as z.ZodObject).extend({ extra: z.string().optional() })).not.toThrow();
  },
);

test("a stack's settings extend StackBase with its components, and a component with settings of its own", () => {
  const settings = base.StackBase.extend({ api: ApiSettings.extend({ batchSize: z.number().int().default(100) }) }).strict();
  expect(settings.parse({ namespace: "daas", api: { image: IMAGE } }).api).toMatchObject({ batchSize: 100, port: Api.defaults.port });
});

test("every component's defaults are its construct's", () => {
  expect(ApiSettings.parse({ image: IMAGE })).toEqual({ image: IMAGE, resources: Api.defaults.resources, port: Api.defaults.port });
  expect(WorkerSettings.parse({ image: IMAGE })).toEqual({ image: IMAGE, resources: Worker.defaults.resources });
  expect(DatabaseSettings.parse({ image: IMAGE })).toEqual({
    image: IMAGE,
    engine: Database.defaults.engine,
    resources: Database.defaults.resources,
    storage: Database.defaults.storage,
    backup: Database.defaults.backup,
    databaseName: Database.defaults.databaseName,
  });
  expect(CacheSettings.parse({ image: IMAGE })).toEqual({
    image: IMAGE,
    resources: Cache.defaults.resources,
    persistence: Cache.defaults.persistence,
    maxmemory: Cache.defaults.maxmemory,
    maxmemoryPolicy: Cache.defaults.maxmemoryPolicy,
  });
  expect(ProxySettings.parse({ image: IMAGE })).toMatchObject({ resources: Proxy.defaults.resources });
  expect(FrontendSettings.parse({ image: IMAGE })).toEqual({ image: IMAGE, resources: Frontend.defaults.resources, mode: Frontend.defaults.mode });
});

test("an ssr frontend's port is left to the construct, whose default follows the mode (3000, not the static 8080)", () => {
  expect(FrontendSettings.parse({ image: IMAGE, mode: "ssr" }).port).toBeUndefined();
  expect(Frontend.defaults.ssr.port).toBe(3000);
});
