/** Slipway's Argo CD generator: AppProjects, Applications, ApplicationSets and the root app-of-apps. */
export {
  ArgoCdChart,
  applicationSetFile,
  applicationsFile,
  PROJECTS_FILE,
  ROOT_FILE,
  type ArgoCdChartProps,
} from "./chart";
export {
  applicationSetName,
  autoscaledComponents,
  plan,
  type ArgoCdTarget,
  type Plan,
  type PlannedApplication,
} from "./plan";
export { AppOfApps, type AppOfAppsProps } from "./app-of-apps";
export { StackApplication, type StackApplicationProps } from "./stack-application";
export { StackApplicationSet, type ApplicationSetElement, type StackApplicationSetProps } from "./stack-application-set";
export { StackProject, type ProjectDestination, type ProjectSyncWindow, type StackProjectProps } from "./stack-project";
export type { ClusterRef, GitSource, SourceType } from "./lib/application-template";
export type { SyncSettings } from "./lib/sync";
export { folderURL } from "./lib/repo";
