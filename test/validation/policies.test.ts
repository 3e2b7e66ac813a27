/**
 * The policy pack, rule by rule: each rule's failing fixture reports exactly these findings, and its
 * passing fixture reports none. Fixtures are test/validation/fixtures/<rule-id>/{fail,pass}.yaml, judged
 * with the strict profile (prod) unless a test says otherwise; every fixture is schema-valid.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { RULES } from "../../validation";
import { DEFAULT_PROFILE } from "../../validation/types";
import { FIXTURES, check, fixture, lines } from "./support";

/** `Kind/name: field: message` of every finding the rule reports on its failing fixture. */
const EXPECTED: Record<string, string[]> = {
  "run-as-non-root": [
    "Pod/web: spec.containers[0].securityContext.runAsNonRoot: container 'unset': expected true (here or on the pod), got nothing",
    "Pod/web: spec.containers[1].securityContext.runAsNonRoot: container 'opted-out': expected true (here or on the pod), got false",
    "Pod/web: spec.containers[2].securityContext.runAsUser: container 'root': expected a non-zero user id, got 0 (root)",
  ],
  "no-privilege-escalation": [
    "Deployment/api: spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation: init container 'migrate': expected false, got nothing",
    "Deployment/api: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation: container 'api': expected false, got true",
  ],
  "drop-all-capabilities": [
    "Pod/web: spec.containers[0].securityContext.capabilities.drop: container 'no-drop': expected a list containing ALL, got nothing",
    "Pod/web: spec.containers[1].securityContext.capabilities.drop: container 'partial': expected a list containing ALL, got [NET_RAW]",
    "Pod/web: spec.containers[1].securityContext.capabilities.add[1]: container 'partial': expected only NET_BIND_SERVICE to be added, got \"SYS_ADMIN\"",
  ],
  "seccomp-profile": [
    "Pod/web: spec.securityContext.seccompProfile.type: expected RuntimeDefault or Localhost, got \"Unconfined\"",
    "Pod/web: spec.containers[1].securityContext.seccompProfile.type: container 'unconfined': expected RuntimeDefault or Localhost (here or on the pod), got \"Unconfined\"",
    "Pod/worker: spec.containers[0].securityContext.seccompProfile.type: container 'worker': expected RuntimeDefault or Localhost (here or on the pod), got nothing",
  ],
  "no-privileged": [
    "Pod/node-agent: spec.securityContext.windowsOptions.hostProcess: expected false or unset, got true",
    "Pod/node-agent: spec.containers[0].securityContext.privileged: container 'agent': expected false or unset, got true",
  ],
  "no-host-namespaces": [
    "DaemonSet/node-exporter: spec.template.spec.hostNetwork: expected false or unset, got true (the pod would share the node's network stack)",
    "DaemonSet/node-exporter: spec.template.spec.hostPID: expected false or unset, got true (the pod would share the node's process table)",
    "DaemonSet/node-exporter: spec.template.spec.hostIPC: expected false or unset, got true (the pod would share the node's shared memory)",
  ],
  "no-host-ports": [
    "Pod/web: spec.containers[0].ports[0].hostPort: container 'web': expected no hostPort, got 80",
  ],
  "allowed-volume-types": [
    "Pod/web: spec.volumes[0].hostPath: volume 'docker': expected one of configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret, got hostPath",
    "Pod/web: spec.volumes[1].nfs: volume 'shared': expected one of configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret, got nfs",
  ],
  "safe-sysctls": [
    "Pod/web: spec.securityContext.sysctls[1].name: expected one of the safe sysctls (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_local_reserved_ports, net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes), got \"kernel.msgmax\"",
  ],
  "default-proc-mount": [
    "Pod/builder: spec.containers[0].securityContext.procMount: container 'builder': expected Default or unset, got \"Unmasked\"",
  ],
  "selinux-options": [
    "Pod/web: spec.securityContext.seLinuxOptions.type: expected container_t, container_init_t, container_kvm_t or container_engine_t, got \"spc_t\"",
    "Pod/web: spec.containers[0].securityContext.seLinuxOptions.user: container 'web': expected unset, got \"system_u\"",
    "Pod/web: spec.containers[0].securityContext.seLinuxOptions.role: container 'web': expected unset, got \"system_r\"",
  ],
  "apparmor-profile": [
    "Deployment/web: spec.template.spec.securityContext.appArmorProfile.type: expected RuntimeDefault or Localhost, got \"Unconfined\"",
    "Deployment/web: spec.template.metadata.annotations[\"container.apparmor.security.beta.kubernetes.io/web\"]: expected runtime/default or localhost/<profile>, got \"unconfined\"",
    "Deployment/web: spec.template.spec.containers[0].securityContext.appArmorProfile.type: container 'web': expected RuntimeDefault or Localhost, got \"Unconfined\"",
  ],
  "read-only-root-filesystem": [
    "Pod/web: spec.containers[0].securityContext.readOnlyRootFilesystem: container 'unset': expected true, got nothing",
    "Pod/web: spec.containers[1].securityContext.readOnlyRootFilesystem: container 'writable': expected true, got false",
  ],
  "resource-requests": [
    "Job/migrate: spec.template.spec.initContainers[0].resources.requests.cpu: init container 'wait': expected a CPU request, got nothing",
    "Job/migrate: spec.template.spec.containers[0].resources.requests.cpu: container 'migrate': expected a CPU request, got nothing",
    "Job/migrate: spec.template.spec.containers[0].resources.requests.memory: container 'migrate': expected a memory request, got nothing",
  ],
  "memory-limit": [
    "Pod/web: spec.containers[0].resources.limits.memory: container 'web': expected a memory limit, got nothing",
  ],
  "probes": [
    "Deployment/api: spec.template.spec.containers[0].readinessProbe: container 'api': expected a readiness probe, got nothing",
    "Deployment/api: spec.template.spec.containers[1].readinessProbe: container 'sidecar': expected a readiness probe, got nothing",
    "Deployment/api: spec.template.spec.containers[1].livenessProbe: container 'sidecar': expected a liveness probe, got nothing",
  ],
  "probe-ports": [
    "Pod/api: spec.containers[0].livenessProbe.tcpSocket.port: container 'api': expected one of the container's ports (8000/http), got 9000",
    "Pod/api: spec.containers[0].readinessProbe.httpGet.port: container 'api': expected one of the container's ports (8000/http), got \"metrics\"",
    "Pod/api: spec.containers[1].startupProbe.grpc.port: container 'worker': expected one of the container's ports (none declared), got 9090",
  ],
  "port-names": [
    "Pod/api: spec.containers[0].ports[0].name: container 'api': expected an IANA service name (at most 15 lower-case letters, digits and single '-', with at least one letter), got \"HTTP_port\"",
    "Pod/api: spec.containers[0].ports[1].name: container 'api': expected an IANA service name (at most 15 lower-case letters, digits and single '-', with at least one letter), got \"metrics-endpoint\"",
    "Service/api: spec.ports[0].targetPort: expected an IANA service name (at most 15 lower-case letters, digits and single '-', with at least one letter), got \"8000\"",
  ],
  "no-ssh-port": [
    "Pod/debug: spec.containers[0].ports[0].containerPort: container 'sshd': expected no SSH port, got 22",
  ],
  "image-tag": [
    "Pod/web: spec.initContainers[0].image: init container 'init': expected an image with a fixed tag such as registry.example.com:5000/tools/init:1.2.3, got \"registry.example.com:5000/tools/init\"",
    "Pod/web: spec.containers[0].image: container 'web': expected a fixed tag, got \"nginx:latest\" ('latest' moves under you)",
    "Pod/web: spec.containers[1].image: container 'sidecar': expected an image with a fixed tag, got nothing",
  ],
  "image-digest": [
    "Pod/web: spec.containers[0].image: container 'web': expected an image pinned by digest (<image>:<tag>@sha256:<64 hex>), got \"ghcr.io/acme/web:2.3.1\"",
    "Pod/web: spec.containers[1].image: container 'short': expected an image pinned by digest (<image>:<tag>@sha256:<64 hex>), got \"ghcr.io/acme/web:2.3.1@sha256:0e1f\"",
  ],
  "own-service-account": [
    "Pod/default-account: spec.serviceAccountName: expected a ServiceAccount of the workload's own, got nothing (the namespace's default account)",
    "Pod/deprecated-field: spec.serviceAccount: expected serviceAccountName (serviceAccount is deprecated), got \"web\"",
    "Pod/missing-account: spec.serviceAccountName: expected ServiceAccount 'worker' in namespace (unset), found none",
  ],
  "no-automount-token": [
    "Pod/account-mounts: spec.automountServiceAccountToken: expected false (here or on ServiceAccount 'web'), got nothing",
    "Pod/pod-mounts: spec.automountServiceAccountToken: expected false (here or on ServiceAccount 'web'), got true",
  ],
  "no-duplicate-env": [
    "Pod/api: spec.containers[0].env[2].name: container 'api': expected each variable once, got 'LOG_LEVEL' again (first at env[0])",
  ],
  "selector-matches-template": [
    "Deployment/api: spec.selector: expected a selector that matches the pod template's labels {app.kubernetes.io/name: api, tier: frontend}",
  ],
  "service-selector": [
    "Service/api: spec.selector: expected to match the pods of a workload in namespace 'shop', got {app.kubernetes.io/name: apii}, which matches none",
    "Service/web: spec.selector: expected to match the pods of a workload in namespace 'shop', got {app.kubernetes.io/name: web}, which matches none",
  ],
  "service-target-port": [
    "Service/api: spec.ports[0].targetPort: expected a port name declared by the selected pods (Deployment/api: http), got \"web\"",
  ],
  "no-dangling-references": [
    "Deployment/api: spec.template.spec.volumes[0].configMap.name: expected ConfigMap 'api-config' in namespace 'shop', found none",
    "Deployment/api: spec.template.spec.volumes[1].secret.secretName: expected Secret 'api-tls' in namespace 'shop' (an ExternalSecret targeting it, a Certificate or a Secret), found none",
    "Deployment/api: spec.template.spec.volumes[2].persistentVolumeClaim.claimName: expected PersistentVolumeClaim 'api-data' in namespace 'shop' (a PersistentVolumeClaim or a StatefulSet volumeClaimTemplate), found none",
    "Deployment/api: spec.template.spec.volumes[3].projected.sources[0].configMap.name: expected ConfigMap 'ca-bundle' in namespace 'shop', found none",
    "Deployment/api: spec.template.spec.volumes[3].projected.sources[1].secret.name: expected Secret 'signing-key' in namespace 'shop' (an ExternalSecret targeting it, a Certificate or a Secret), found none",
    "Deployment/api: spec.template.spec.imagePullSecrets[0].name: expected Secret 'registry' in namespace 'shop' (an ExternalSecret targeting it, a Certificate or a Secret), found none",
    "Deployment/api: spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name: container 'api': expected Secret 'database-credentials' in namespace 'shop' (an ExternalSecret targeting it, a Certificate or a Secret), found none",
    "Deployment/api: spec.template.spec.containers[0].env[1].valueFrom.configMapKeyRef.name: container 'api': expected ConfigMap 'flags' in namespace 'shop', found none",
    "Deployment/api: spec.template.spec.containers[0].envFrom[0].configMapRef.name: container 'api': expected ConfigMap 'api-env' in namespace 'shop', found none",
    "Deployment/api: spec.template.spec.containers[0].envFrom[1].secretRef.name: container 'api': expected Secret 'api-secrets' in namespace 'shop' (an ExternalSecret targeting it, a Certificate or a Secret), found none",
    "Deployment/api: spec.template.spec.containers[0].volumeMounts[1].name: container 'api': expected a volume 'cache' in the pod, found none",
    "HorizontalPodAutoscaler/worker: spec.scaleTargetRef: expected Deployment 'worker' in namespace 'shop', found none",
    "PodDisruptionBudget/worker: spec.selector: expected to select the pods of a workload in namespace 'shop', selects none",
    "Ingress/web: spec.rules[0].http.paths[0].backend.service.name: expected Service 'proxy' in namespace 'shop', found none",
    "Ingress/web: spec.tls[0].secretName: expected Secret 'shop-tls' in namespace 'shop' (a Certificate, a cert-manager issuer annotation, an ExternalSecret or a Secret), found none",
  ],
  "hpa-or-replicas": [
    "Deployment/api: spec.replicas: expected no replicas while HorizontalPodAutoscaler/api scales this Deployment, got 3",
  ],
  "min-replicas": [
    "Deployment/frontend: spec.replicas: expected at least 2 in this environment (or an HPA with minReplicas ≥ 2), got nothing (1 by default)",
    "HorizontalPodAutoscaler/api: spec.minReplicas: expected at least 2 in this environment, got 1",
  ],
  "pdb-required": [
    "Deployment/api: spec.template.metadata.labels: expected a PodDisruptionBudget in namespace (unset) selecting these pods, found none",
  ],
  "pdb-allows-eviction": [
    "PodDisruptionBudget/frozen: spec.maxUnavailable: expected at least 1, got 0: no pod could ever be evicted",
    "PodDisruptionBudget/all-of-them: spec.minAvailable: expected less than 100%, got \"100%\": no pod could ever be evicted",
    "PodDisruptionBudget/all-of-them: spec.unhealthyPodEvictionPolicy: expected AlwaysAllow so pods that are not ready never block a node drain, got nothing",
    "PodDisruptionBudget/api: spec.minAvailable: expected fewer than the 2 pod(s) Deployment/api keeps at least, got 2: no pod could ever be evicted",
    "PodDisruptionBudget/api: spec.unhealthyPodEvictionPolicy: expected AlwaysAllow so pods that are not ready never block a node drain, got \"IfHealthyBudget\"",
  ],
  "topology-spread": [
    "Deployment/frontend: spec.template.spec.topologySpreadConstraints: expected topology spread constraints or pod anti-affinity so replicas do not share a node, got nothing",
    "StatefulSet/cache: spec.template.spec.topologySpreadConstraints: expected topology spread constraints or pod anti-affinity so replicas do not share a node, got nothing",
  ],
  "hpa-bounds": [
    "HorizontalPodAutoscaler/api: spec.maxReplicas: expected more than minReplicas (3), got 3: the autoscaler can never scale",
  ],
  "default-deny-network-policy": [
    "Deployment/api: metadata.namespace: expected a NetworkPolicy in namespace 'shop' denying all egress but DNS (podSelector: {}, policyTypes: [Egress], egress rules on port 53 only), found none",
    "CronJob/digest: metadata.namespace: expected a NetworkPolicy in namespace 'blog' denying all egress but DNS (podSelector: {}, policyTypes: [Egress], egress rules on port 53 only), found none",
  ],
  "network-policy-explicit-peers": [
    "NetworkPolicy/api: spec.ingress[0].from: expected the peers this rule opens to, got nothing (every source)",
    "NetworkPolicy/api: spec.ingress[1].from[0]: expected a peer naming its pods, namespace or address range, got namespaceSelector: {} (every pod in every namespace)",
    "NetworkPolicy/api: spec.ingress[1].from[1]: expected a peer naming its pods, namespace or address range, got podSelector: {} (every pod in the namespace)",
    "NetworkPolicy/api: spec.ingress[1].from[2]: expected a peer naming its pods, namespace or address range, got ipBlock 0.0.0.0/0 (every address)",
    "NetworkPolicy/api: spec.egress[0].to: expected the peers this rule opens to, got nothing (every destination)",
  ],
  "network-policy-selects-pods": [
    "NetworkPolicy/api: spec.podSelector: expected to select the pods of a workload in namespace 'shop', got {app.kubernetes.io/name: apii}, which selects none: the policy opens nothing it was written for",
    "NetworkPolicy/workers: spec.podSelector: expected to select the pods of a workload in namespace 'shop', got {app.kubernetes.io/component In (worker, scheduler)}, which selects none: the policy opens nothing it was written for",
  ],
  "service-reachable": [
    "Service/api: spec.ports[0]: expected a NetworkPolicy in namespace 'shop' admitting traffic to port 8000 (http) of Deployment/api's pods, found none: they are isolated for ingress (NetworkPolicy default-deny, api), so every connection through this Service is dropped; add an ingress rule from its callers",
    "Service/api: spec.ports[1]: expected a NetworkPolicy in namespace 'shop' admitting traffic to port 9090 (metrics) of Deployment/api's pods, found none: they are isolated for ingress (NetworkPolicy default-deny, api), so every connection through this Service is dropped; add an ingress rule from its callers",
  ],
  "no-open-egress": [
    "NetworkPolicy/worker: spec.egress[0].to[0].ipBlock.cidr: expected the address range of the service it calls, got 0.0.0.0/0 (every IPv4 address)",
    "NetworkPolicy/worker: spec.egress[0].to[1].ipBlock.cidr: expected the address range of the service it calls, got ::/0 (every IPv6 address)",
    "NetworkPolicy/worker: spec.egress[1].to[0].ipBlock.cidr: expected the address range of the service it calls, got 10.0.0.0/0 (every IPv4 address)",
  ],
  "no-external-services": [
    "Service/proxy: spec.type: expected ClusterIP (traffic enters through the Ingress), got \"LoadBalancer\": it opens the Service outside the Ingress's TLS and the NetworkPolicies",
    "Service/admin: spec.type: expected ClusterIP (traffic enters through the Ingress), got \"NodePort\": it opens the Service outside the Ingress's TLS and the NetworkPolicies",
    "Service/admin: spec.externalIPs: expected none, got [203.0.113.10]: the cluster would route traffic for these addresses to this Service (CVE-2020-8554)",
  ],
  "no-ingress-snippets": [
    "Ingress/web: metadata.annotations[\"nginx.ingress.kubernetes.io/configuration-snippet\"]: expected no raw nginx configuration, got a snippet: it runs inside the shared ingress controller, which can read every Secret of the cluster",
    "Ingress/web: metadata.annotations[\"nginx.ingress.kubernetes.io/server-snippet\"]: expected no raw nginx configuration, got a snippet: it runs inside the shared ingress controller, which can read every Secret of the cluster",
    "Ingress/web: metadata.annotations[\"nginx.ingress.kubernetes.io/auth-snippet\"]: expected no raw nginx configuration, got a snippet: it runs inside the shared ingress controller, which can read every Secret of the cluster",
  ],
  "ingress-tls": [
    "Ingress/plain: spec.tls: expected TLS for every host, got nothing",
    "Ingress/partial: spec.rules[1].host: expected 'www.shop.example.com' in spec.tls[].hosts, got no TLS entry for it",
  ],
  "rbac-least-privilege": [
    "Role/debugger: rules[0].resources: expected no pods/exec (a shell in every pod the role reaches), got \"pods/exec\"",
    "Role/debugger: rules[1].apiGroups: expected explicit apiGroups, got \"*\"",
    "Role/debugger: rules[1].resources: expected explicit resources, got \"*\"",
    "Role/debugger: rules[1].verbs: expected explicit verbs, got \"*\"",
    "ClusterRoleBinding/ci-admin: roleRef.name: expected a role of least privilege, got \"cluster-admin\" (it grants everything)",
    "RoleBinding/developers: roleRef.name: expected a role of least privilege, got \"edit\" (it grants pods/exec and secrets)",
  ],
  "argocd-keep-volumes": [
    "PersistentVolumeClaim/uploads: metadata.annotations[\"argocd.argoproj.io/sync-options\"]: expected Prune=false and Delete=false so Argo CD never prunes or deletes the volume, got nothing",
    "StatefulSet/database: metadata.annotations[\"argocd.argoproj.io/sync-options\"]: expected Prune=false and Delete=false so Argo CD never prunes or deletes the volume, got \"Prune=false\"",
  ],
  "pvc-retention-retain": [
    "StatefulSet/database: spec.persistentVolumeClaimRetentionPolicy.whenDeleted: expected Retain, got \"Delete\": the claims would be deleted with the pods",
    "StatefulSet/database: spec.persistentVolumeClaimRetentionPolicy.whenScaled: expected Retain, got \"Delete\": the claims would be deleted with the pods",
  ],
  "database-backups": [
    "StatefulSet/database: metadata.name: expected a CronJob in namespace (unset) annotated slipway.dev/backup-of: database, found none",
    "StatefulSet/mysql: metadata.name: expected a CronJob in namespace (unset) annotated slipway.dev/backup-of: mysql, found only suspended CronJob/mysql-backup",
    "StatefulSet/orders: metadata.name: expected a CronJob in namespace (unset) annotated slipway.dev/backup-of: orders, found only CronJob/orders-backup, whose schedule '0 0 31 2 *' Kubernetes would not run (it never runs: no date matches its day-of-month and month)",
  ],
  "sync-wave-order": [
    "Namespace/shop: metadata.annotations[\"argocd.argoproj.io/sync-wave\"]: in wave 0 but ServiceAccount 'api' needs it from wave -1: nothing can be created in a namespace before it exists; move it to wave -1 or earlier with argocd.argoproj.io/sync-wave: \"-1\"",
    "ResourceQuota/shop: metadata.annotations[\"argocd.argoproj.io/sync-wave\"]: in wave 1 but ServiceAccount 'api' needs it from wave -1: a ResourceQuota applies only to what is created after it, so it comes first; move it to wave -1 or earlier with argocd.argoproj.io/sync-wave: \"-1\"",
    "ConfigMap/api: metadata.annotations[\"argocd.argoproj.io/sync-wave\"]: in wave 3 but Deployment 'api' needs it from wave 2: a pod does not start until the ServiceAccount, ConfigMaps and Secrets it uses exist; move it to wave 2 or earlier with argocd.argoproj.io/sync-wave: \"2\"",
    "SecretStore/vault: metadata.annotations[\"argocd.argoproj.io/sync-wave\"]: in wave 0 but ExternalSecret 'api-secrets' needs it from wave -1: an ExternalSecret fails until its store and generators exist; move it to wave -1 or earlier with argocd.argoproj.io/sync-wave: \"-1\"",
    "PersistentVolumeClaim/uploads: metadata.annotations[\"argocd.argoproj.io/sync-wave\"]: in wave -1 but its first consumer, Deployment 'api', starts in wave 2: on WaitForFirstConsumer storage the claim stays Pending until a pod uses it, and Argo CD counts a Pending claim as Progressing and waits for it before any later wave, so the sync never gets there; move it to wave 2 with argocd.argoproj.io/sync-wave: \"2\"",
    "PersistentVolumeClaim/scratch: metadata.annotations[\"argocd.argoproj.io/sync-wave\"]: in wave 4 but Deployment 'api' needs it from wave 2: its pods stay Pending without the claim and Argo CD waits for them, so the claim is never created; move it to wave 2 with argocd.argoproj.io/sync-wave: \"2\"",
    "Job/seed: metadata.annotations[\"argocd.argoproj.io/sync-wave\"]: in wave 2, the same wave as StatefulSet 'database': it connects to it (NetworkPolicy 'seed'), and a Job runs once and fails if its server is not serving yet; move it to wave 3 or later with argocd.argoproj.io/sync-wave: \"3\"",
    "Job/migrate: metadata.annotations[\"argocd.argoproj.io/hook\"]: in the PreSync phase (wave 0), before ConfigMap 'api' (wave 3): a pod does not start until the ServiceAccount, ConfigMaps and Secrets it uses exist; make it a Sync hook (argocd.argoproj.io/hook: Sync) in wave 3 or later",
    "PersistentVolumeClaim/backups: metadata.annotations[\"argocd.argoproj.io/sync-wave\"]: in wave 0 but only CronJob 'backup' uses it, and that starts no pod when it syncs: on WaitForFirstConsumer storage the claim stays Pending until a pod uses it, and Argo CD counts a Pending claim as Progressing and waits for it before any later wave; move it to the last wave (4) with argocd.argoproj.io/sync-wave: \"4\"",
    "ConfigMap/flags: metadata.annotations[\"argocd.argoproj.io/sync-wave\"]: expected an integer such as \"2\", got \"two\": Argo CD ignores it and syncs the object in wave 0",
  ],
  "object-size": [
    "ConfigMap/assets: metadata.annotations: expected at most 255.0 KiB of annotations once kubectl apply adds its kubectl.kubernetes.io/last-applied-configuration copy of the object, got 293.6 KiB (the object is 300616 bytes of JSON): the API server refuses it at sync; split it, or apply it server-side with argocd.argoproj.io/sync-options: ServerSideApply=true",
    "ConfigMap/bundle: : expected at most 1 MiB (1048576 bytes), got 1064.5 KiB (1090040 bytes): more than a ConfigMap or Secret may hold, and close to etcd's 1.5 MiB request limit for any object; split it",
  ],
  "no-secret-data": [
    "Secret/database-credentials: data: expected no data in a rendered Secret, got 2 key(s) (username, password); produce it with an ExternalSecret",
    "Secret/database-credentials: stringData: expected no stringData in a rendered Secret, got 1 key(s) (url); produce it with an ExternalSecret",
  ],
  "no-service-account-token-secrets": [
    "Secret/ci-token: type: expected no long-lived token for ServiceAccount \"ci\", got type kubernetes.io/service-account-token: it never expires; pods get short-lived tokens through a projected volume",
  ],
  "no-credentials-in-values": [
    "ConfigMap/api: metadata.annotations[\"ci.example.com/token\"]: value looks like a credential (secretlint: github); keep it in the secret store and reference it through an ExternalSecret",
    "ConfigMap/api: data.DATABASE_URL: value looks like a credential (secretlint: database-connection-string); keep it in the secret store and reference it through an ExternalSecret",
    "ConfigMap/api: data.SERVICE_JWT: value looks like a credential (secretlint: JSON Web Token); keep it in the secret store and reference it through an ExternalSecret",
    "ConfigMap/api: data.AWS_ACCESS_KEY: value looks like a credential (secretlint: AWS access key ID); keep it in the secret store and reference it through an ExternalSecret",
  ],
  "no-plaintext-credentials": [
    "Pod/api: spec.containers[0].env[0].value: container 'api': expected 'DATABASE_PASSWORD' from a Secret (valueFrom.secretKeyRef), got a literal value",
    "Pod/api: spec.containers[0].env[1].value: container 'api': expected 'STRIPE_API_KEY' from a Secret (valueFrom.secretKeyRef), got a literal value",
    "Pod/api: spec.containers[0].env[3].value: container 'api': expected 'SMTP_PASS' from a Secret (valueFrom.secretKeyRef), got a literal value",
    "Pod/api: spec.containers[0].env[4].value: container 'api': expected 'MYSQL_PWD' from a Secret (valueFrom.secretKeyRef), got a literal value",
    "Pod/api: spec.containers[0].env[5].value: container 'api': expected 'GITHUB_TOKEN' from a Secret (valueFrom.secretKeyRef), got a literal value",
    "Pod/api: spec.containers[0].env[6].value: container 'api': expected 'OAUTH_CLIENT_SECRET' from a Secret (valueFrom.secretKeyRef), got a literal value",
    "ConfigMap/api: data[\"admin-password\"]: expected no credential in a ConfigMap, got key 'admin-password'; keep it in a Secret produced by an ExternalSecret",
    "ConfigMap/api: data[\"jwt.secret\"]: expected no credential in a ConfigMap, got key 'jwt.secret'; keep it in a Secret produced by an ExternalSecret",
    "ConfigMap/api: data.REDIS_PASS: expected no credential in a ConfigMap, got key 'REDIS_PASS'; keep it in a Secret produced by an ExternalSecret",
  ],
};

describe("the policy pack", () => {
  test("every rule has a failing fixture, a passing fixture and expected findings", () => {
    const incomplete = RULES.filter(
      (r) => !existsSync(join(FIXTURES, r.id, "fail.yaml")) || !existsSync(join(FIXTURES, r.id, "pass.yaml")) || !EXPECTED[r.id]?.length,
    ).map((r) => r.id);
    expect(incomplete).toEqual([]);
    expect(Object.keys(EXPECTED).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  test("every rule documents its id, severity, title, rationale and link", () => {
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(["error", "warning"]).toContain(rule.severity);
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.rationale.length).toBeGreaterThan(40);
      expect(rule.link).toMatch(/^https:\/\//);
    }
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });
});

describe.each(RULES.map((r) => [r.id, r] as const))("%s", (id) => {
  test("the failing fixture reports exactly the expected findings", async () => {
    const report = await check([fixture(`${id}/fail.yaml`)]);
    expect(lines(report.findings, "schema")).toEqual([]);
    expect(lines(report.findings, id)).toEqual(EXPECTED[id]);
  });

  test("the passing fixture reports nothing for this rule", async () => {
    const report = await check([fixture(`${id}/pass.yaml`)]);
    expect(lines(report.findings, "schema")).toEqual([]);
    expect(lines(report.findings, id)).toEqual([]);
  });
});

describe("environment policy switches", () => {
  test.each(["image-digest", "min-replicas", "pdb-required", "database-backups"])(
    "%s is off where the environment's policy does not ask for it (dev)",
    async (id) => {
      const report = await check([fixture(`${id}/fail.yaml`)], DEFAULT_PROFILE);
      expect(lines(report.findings, id)).toEqual([]);
    },
  );

  test("topology-spread still applies to workloads running several pods outside prod", async () => {
    const report = await check([fixture("topology-spread/fail.yaml")], DEFAULT_PROFILE);
    expect(lines(report.findings, "topology-spread")).toEqual(EXPECTED["topology-spread"]);
  });

  test("a single-replica Deployment needs no spread outside prod, but does in prod", async () => {
    const single = {
      path: "web/frontend.yaml",
      objects: [
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "frontend" },
          spec: {
            selector: { matchLabels: { app: "frontend" } },
            template: { metadata: { labels: { app: "frontend" } }, spec: { containers: [{ name: "frontend", image: "frontend:1.0.0" }] } },
          },
        },
      ],
    };
    expect(lines((await check([single], DEFAULT_PROFILE)).findings, "topology-spread")).toEqual([]);
    expect(lines((await check([single])).findings, "topology-spread")).toEqual([
      "Deployment/frontend: spec.template.spec.topologySpreadConstraints: expected topology spread constraints or pod anti-affinity so replicas do not share a node, got nothing",
    ]);
  });
});
