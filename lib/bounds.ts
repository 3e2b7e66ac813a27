/**
 * The sane range of every amount an environment file or a construct's props set, each bound with its reason,
 * stated once: the environment schema refuses values outside them (naming the file and field) and the
 * constructs check their props against them. A value outside is a slip of the unit or of a digit (`2m` of
 * memory is two thousandths of a byte; `1e8` replicas is YAML for a hundred million) that the API server
 * would refuse, or accept and never schedule.
 */
import { quoted } from "./errors";
import { cpuMillis, quantityValue } from "./quantity";

const Mi = 1024 ** 2;
const Gi = 1024 ** 3;
const Ti = 1024 ** 4;

interface Range {
  readonly min: number;
  readonly max: number;
  /** What a valid value looks like, for messages: `expected ${expected}`. */
  readonly expected: string;
}

/** A container's CPU request, in millicores. */
export const CPU_REQUEST: Range = {
  // 1m is the finest CPU amount Kubernetes keeps; `0` requests nothing, and under contention gets nothing.
  min: 1,
  // More than one container of a web stack uses. The common slip, millicores without their `m` (`250` for
  // `250m`), asks for 250 cores: no node has them, and the pod stays Pending.
  max: 64_000,
  expected: "a CPU request from 1m to 64, such as 250m",
};

/** A container's memory request or limit, in bytes. */
export const MEMORY: Range = {
  // No process starts in less: Docker refuses a limit below 6 MiB
  // (https://docs.docker.com/engine/containers/resource_constraints/#limit-a-containers-access-to-memory).
  // Below it is a unit slip: `512` is 512 bytes, `2m` two thousandths of a byte.
  min: 6 * Mi,
  // More than a node of these clusters has; `512Gi` for `512Mi` is the slip it catches.
  max: 256 * Gi,
  expected: "a memory size from 6Mi to 256Gi, such as 512Mi",
};

/** A volume's size (a claim's storage request), in bytes. */
export const VOLUME_SIZE: Range = {
  // Provisioners allocate whole GiB or more (most round a smaller claim up); below 1Mi is a unit slip such
  // as `10m` (ten thousandths of a byte) or `10` (bytes) for 10Gi.
  min: Mi,
  // The largest single block volumes clouds offer are 64 TiB (AWS io2 Block Express, Google Hyperdisk
  // Extreme); a claim beyond that is never bound.
  max: 64 * Ti,
  expected: "a volume size from 1Mi to 64Ti, such as 10Gi",
};

/** Pods of one workload: replicas, and autoscaling bounds. */
export const REPLICAS: Range = {
  // Zero replicas is a stopped service: leave the stack out of the environment instead.
  min: 1,
  // Kubernetes is tested up to 110 pods per node and 150 000 per cluster; one workload of a web stack above
  // 1000 pods is a slip (`1e8` is a hundred million), and its namespace quota would ask for twice as much.
  max: 1000,
  expected: "a pod count from 1 to 1000",
};

/**
 * Why `quantity` is outside `range` once read as `amount` (millicores or bytes), or undefined when it is
 * inside, or not a quantity at all (the format check says so).
 */
function outside(range: Range, quantity: string, amount: number): string | undefined {
  if (Number.isNaN(amount)) return undefined;
  return amount < range.min || amount > range.max ? `expected ${range.expected}, got ${quoted(quantity)}` : undefined;
}

export function cpuRequestProblem(quantity: string): string | undefined {
  return outside(CPU_REQUEST, quantity, cpuMillis(quantity));
}

/** Memory in milli-units (`2m`) is refused by name: the suffix reads as megabytes to most people. */
export function memoryProblem(quantity: string): string | undefined {
  const problem = outside(MEMORY, quantity, quantityValue(quantity));
  return problem && quantity.endsWith("m") ? `${problem} ('m' is thousandths: write Mi for mebibytes)` : problem;
}

export function volumeSizeProblem(quantity: string): string | undefined {
  const problem = outside(VOLUME_SIZE, quantity, quantityValue(quantity));
  return problem && quantity.endsWith("m") ? `${problem} ('m' is thousandths: write Mi or Gi)` : problem;
}

export function replicasProblem(count: number): string | undefined {
  return Number.isInteger(count) && count >= REPLICAS.min && count <= REPLICAS.max ? undefined : `expected ${REPLICAS.expected}, got ${count}`;
}

/** The API server refuses a request above its limit. */
export function memoryLimitProblem(request: string, limit: string): string | undefined {
  const [r, l] = [quantityValue(request), quantityValue(limit)];
  if (Number.isNaN(r) || Number.isNaN(l) || l >= r) return undefined;
  return `expected a memory limit at least the request ${request}, got ${quoted(limit)} (the API server refuses a request above its limit)`;
}

/** Requests and the memory limit of a container, as environment files and construct props give them. */
export interface ResourceAmounts {
  readonly cpu: string;
  readonly memory: string;
  readonly memoryLimit?: string;
}

/** Every problem of `r`, by field: each amount against its range, then the limit against the request. */
export function resourceProblems(r: ResourceAmounts): { field: keyof ResourceAmounts; message: string }[] {
  const limit = r.memoryLimit === undefined ? undefined : (memoryProblem(r.memoryLimit) ?? memoryLimitProblem(r.memory, r.memoryLimit));
  const found: [keyof ResourceAmounts, string | undefined][] = [
    ["cpu", cpuRequestProblem(r.cpu)],
    ["memory", memoryProblem(r.memory)],
    ["memoryLimit", limit],
  ];
  return found.flatMap(([field, message]) => (message ? [{ field, message }] : []));
}
