/** What an environment file says about the reference `web` stack (pure zod: shared with the bootstrap). */
import { z } from "zod";
import { ApiSettings, CacheSettings, DatabaseSettings, FrontendSettings, ProxySettings, StackBase } from "../environments/schema";

export const WebSettings = z
  .object({
    ...StackBase,
    api: ApiSettings,
    database: DatabaseSettings,
    cache: CacheSettings,
    proxy: ProxySettings,
    frontend: FrontendSettings,
  })
  .strict();
export type WebSettings = z.infer<typeof WebSettings>;
