/**
 * How an environment reaches Argo CD: the Git source Applications point at.
 * The Argo CD generator (issue: Argo CD) extends this section.
 */
import { z } from "zod";

export const ArgoCdSettings = z
  .object({
    repoURL: z.url({ message: "expected the Git URL of this repository, e.g. https://github.com/acme/slipway.git" }),
    targetRevision: z.string().min(1).default("main").describe("Branch, tag or commit Argo CD syncs from."),
  })
  .strict();
export type ArgoCdSettings = z.infer<typeof ArgoCdSettings>;
