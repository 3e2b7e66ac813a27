/**
 * The policy pack, one rule per file, in the order reports list them. docs/validation.md documents
 * every rule here; test/validation/policies.test.ts holds each rule's failing and passing fixture.
 */
import type { Rule } from "../types";
// Pod Security Standards (restricted, which includes baseline)
import { runAsNonRoot } from "./run-as-non-root";
import { noPrivilegeEscalation } from "./no-privilege-escalation";
import { dropAllCapabilities } from "./drop-all-capabilities";
import { seccompProfile } from "./seccomp-profile";
import { noPrivileged } from "./no-privileged";
import { noHostNamespaces } from "./no-host-namespaces";
import { noHostPorts } from "./no-host-ports";
import { allowedVolumeTypes } from "./allowed-volume-types";
import { safeSysctls } from "./safe-sysctls";
import { defaultProcMount } from "./default-proc-mount";
import { selinuxOptions } from "./selinux-options";
import { apparmorProfile } from "./apparmor-profile";
// Workload hygiene
import { readOnlyRootFilesystem } from "./read-only-root-filesystem";
import { resourceRequests } from "./resource-requests";
import { memoryLimit } from "./memory-limit";
import { probes } from "./probes";
import { probePorts } from "./probe-ports";
import { portNames } from "./port-names";
import { noSshPort } from "./no-ssh-port";
import { imageTag } from "./image-tag";
import { imageDigest } from "./image-digest";
import { ownServiceAccount } from "./own-service-account";
import { noAutomountToken } from "./no-automount-token";
import { noDuplicateEnv } from "./no-duplicate-env";
import { selectorMatchesTemplate } from "./selector-matches-template";
import { serviceSelector } from "./service-selector";
import { serviceTargetPort } from "./service-target-port";
import { noDanglingReferences } from "./no-dangling-references";
import { hpaOrReplicas } from "./hpa-or-replicas";
// Availability
import { minReplicas } from "./min-replicas";
import { pdbRequired } from "./pdb-required";
import { pdbAllowsEviction } from "./pdb-allows-eviction";
import { topologySpread } from "./topology-spread";
import { hpaBounds } from "./hpa-bounds";
import { cronSchedules } from "./cron-schedules";
// Network
import { defaultDenyNetworkPolicy } from "./default-deny-network-policy";
import { networkPolicyExplicitPeers } from "./network-policy-explicit-peers";
import { networkPolicySelectsPods } from "./network-policy-selects-pods";
import { serviceReachable } from "./service-reachable";
import { noOpenEgress } from "./no-open-egress";
import { noExternalServices } from "./no-external-services";
import { noIngressSnippets } from "./no-ingress-snippets";
import { ingressTls } from "./ingress-tls";
import { rbacLeastPrivilege } from "./rbac-least-privilege";
// Data safety
import { argocdKeepVolumes } from "./argocd-keep-volumes";
import { pvcRetentionRetain } from "./pvc-retention-retain";
import { databaseBackups } from "./database-backups";
// Sync
import { syncWaveOrder } from "./sync-wave-order";
import { objectSize } from "./object-size";
// Secrets
import { noSecretData } from "./no-secret-data";
import { noServiceAccountTokenSecrets } from "./no-service-account-token-secrets";
import { noCredentialsInValues } from "./no-credentials-in-values";
import { noPlaintextCredentials } from "./no-plaintext-credentials";

export interface RuleGroup {
  readonly title: string;
  readonly rules: readonly Rule[];
}

export const RULE_GROUPS: readonly RuleGroup[] = [
  {
    title: "Pod Security Standards (restricted)",
    rules: [runAsNonRoot, noPrivilegeEscalation, dropAllCapabilities, seccompProfile, noPrivileged, noHostNamespaces, noHostPorts, allowedVolumeTypes, safeSysctls, defaultProcMount, selinuxOptions, apparmorProfile],
  },
  {
    title: "Workload hygiene",
    rules: [readOnlyRootFilesystem, resourceRequests, memoryLimit, probes, probePorts, portNames, noSshPort, imageTag, imageDigest, ownServiceAccount, noAutomountToken, noDuplicateEnv, selectorMatchesTemplate, serviceSelector, serviceTargetPort, noDanglingReferences, hpaOrReplicas, cronSchedules],
  },
  { title: "Availability", rules: [minReplicas, pdbRequired, pdbAllowsEviction, topologySpread, hpaBounds] },
  {
    title: "Network and access",
    rules: [defaultDenyNetworkPolicy, networkPolicyExplicitPeers, networkPolicySelectsPods, serviceReachable, noOpenEgress, noExternalServices, noIngressSnippets, ingressTls, rbacLeastPrivilege],
  },
  { title: "Data safety", rules: [argocdKeepVolumes, pvcRetentionRetain, databaseBackups] },
  { title: "Sync", rules: [syncWaveOrder, objectSize] },
  { title: "Secrets", rules: [noSecretData, noServiceAccountTokenSecrets, noCredentialsInValues, noPlaintextCredentials] },
];

export const RULES: readonly Rule[] = RULE_GROUPS.flatMap((g) => g.rules);
