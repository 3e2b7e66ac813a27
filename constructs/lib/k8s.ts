/**
 * The typed Kubernetes 1.27 API objects that cdk8s-plus-27 ships. Imported from the module itself, not the
 * package index: the index also loads the whole cdk8s-plus L2 library, which Slipway does not use and
 * which costs ~40 ms of every synth.
 */
export * as k8s from "cdk8s-plus-27/lib/imports/k8s";
