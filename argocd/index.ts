/** Slipway's Argo CD generator: AppProjects, Applications, ApplicationSets and the root app-of-apps. */
export {
  ArgoCdChart,
  applicationSetFile,
  applicationsFile,
  PROJECTS_FILE,
  ROOT_FILE,
  ROOT_INCLUDE,
  type ArgoCdChartProps,
} from "./chart";
export {
  applicationSetName,
  autoscaledComponents,
  plan,
  previewNamespace,
  previewProjectName,
  type ArgoCdTarget,
  type Plan,
  type PlannedApplication,
} from "./plan";
export { AppOfApps, ARGOCD_KINDS, type AppOfAppsProps } from "./app-of-apps";
export { StackApplication, type StackApplicationProps } from "./stack-application";
export { StackApplicationSet, type ApplicationSetElement, type StackApplicationSetProps } from "./stack-application-set";
export { StackProject, type ProjectDestination, type ProjectRole, type StackProjectProps } from "./stack-project";
export { PreviewApplicationSet, previewPatches, type PreviewApplicationSetProps } from "./preview-application-set";
export type { ApplicationSettings, ApplicationTarget, ClusterRef, GitSource, SourceType } from "./lib/application-template";
export type { SyncSettings } from "./lib/sync";
export { isClusterScoped, type ClusterResource, type GroupKind, type RenderedResource } from "./lib/resources";
export { folderURL } from "./lib/repo";

/**
 * The oldest Argo CD Slipway's output is written for: sync windows' `syncOverrun` arrived in 3.5.0 (the
 * validation gate declares it beside its Argo CD 3.3.9 schemas), `clusterResourceWhitelist[].name` in 3.3.0.
 */
export const MIN_ARGOCD_VERSION = "3.5.0";
