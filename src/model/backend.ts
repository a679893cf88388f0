import * as fs from "node:fs";
import * as tf from "@tensorflow/tfjs";

/**
 * The TensorFlow.js backends the toolkit knows, best first:
 * - `tensorflow-gpu`: `@tensorflow/tfjs-node-gpu` (libtensorflow with CUDA; backend name "tensorflow");
 * - `tensorflow`: `@tensorflow/tfjs-node` (libtensorflow on the CPU, multithreaded);
 * - `webgpu`: `@tensorflow/tfjs-backend-webgpu` over the `webgpu` npm package (Dawn; NVIDIA GPUs through Vulkan);
 * - `wasm`: `@tensorflow/tfjs-backend-wasm` (XNNPACK, SIMD, one thread in Node);
 * - `cpu`: plain JavaScript kernels, a last resort (about 0.8 GFLOP/s here).
 */
export const BACKEND_NAMES = ["tensorflow-gpu", "tensorflow", "webgpu", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What `selectBackend` did: the backend it set, why, and why each better one was skipped. */
export interface BackendChoice {
  /** Our name for the chosen backend (see `BACKEND_NAMES`). */
  name: BackendName;
  /** The name tfjs knows it by (`tf.getBackend()`): "tensorflow", "webgpu", "wasm" or "cpu". */
  tfjsName: string;
  /** Why it was chosen. */
  reason: string;
  /** Each better backend that was tried and skipped, with the reason. */
  skipped: { name: BackendName; reason: string }[];
}

export interface SelectBackendOptions {
  /**
   * Force one backend (or try these, in order). Default: the env variable `RERANK_BACKEND` if set, else every
   * backend in `BACKEND_NAMES` order. A forced backend that cannot start is an error, not a silent fallback.
   */
  prefer?: BackendName | readonly BackendName[];
  /** Environment to read `RERANK_BACKEND` and `RERANK_WEBGPU_SOFTWARE` from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Accept a software WebGPU adapter (Mesa's lavapipe: WebGPU on the CPU, slower than wasm), for testing the
   * WebGPU path without a GPU. Default: env `RERANK_WEBGPU_SOFTWARE=1`, else false, so that a task that asked for
   * a GPU fails rather than training on the CPU.
   */
  allowSoftwareAdapter?: boolean;
}

/**
 * Picks the best available TensorFlow.js backend, sets it (`tf.setBackend`) and says which and why.
 * Order: tfjs-node-gpu (CUDA), tfjs-node, WebGPU (Dawn over Vulkan), wasm, cpu. Force one with
 * `{ prefer: "wasm" }` or `RERANK_BACKEND=wasm`; a comma list (`RERANK_BACKEND=webgpu,wasm`) tries those in order.
 *
 * Notes on this project's install: `@tensorflow/tfjs-node` is overridden to plain `@tensorflow/tfjs` in
 * package.json (danfojs needs the name), so it is detected by whether it registers the native "tensorflow"
 * backend, not by whether it resolves. The `webgpu` package's postinstall only clears a macOS quarantine flag;
 * on Linux its prebuilt `dawn.node` works without it, but needs `libvulkan.so.1` and a GPU driver. It runs on a
 * hardware GPU only, forced or not, unless `allowSoftwareAdapter` (Mesa's software Vulkan, lavapipe, which the
 * set-up installs so that the tests run the WebGPU path on the CPU; slower than wasm).
 *
 * Reference: backend registry and priorities in tfjs-core `engine.ts`; transformers.js `backends/onnx.js`.
 * @example const choice = await selectBackend(); // { name: "wasm", reason: "...", skipped: [...] }
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  const env = options.env ?? process.env;
  let candidates: BackendName[];
  let forced = false;
  if (options.prefer !== undefined) {
    candidates = typeof options.prefer === "string" ? [options.prefer] : [...options.prefer];
    forced = true;
  } else if (env.RERANK_BACKEND && env.RERANK_BACKEND.trim() !== "") {
    candidates = env.RERANK_BACKEND.split(",").map((name) => name.trim()) as BackendName[];
    forced = true;
  } else {
    candidates = [...BACKEND_NAMES];
  }
  for (const name of candidates) {
    if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
      throw new Error(
        `selectBackend: unknown backend "${name}". Use one of ${BACKEND_NAMES.join(", ")} (option prefer or env RERANK_BACKEND).`,
      );
    }
  }
  const skipped: { name: BackendName; reason: string }[] = [];
  for (const name of candidates) {
    const attempt = await tryBackend(name, forced, options.allowSoftwareAdapter ?? env.RERANK_WEBGPU_SOFTWARE === "1");
    if (attempt.ok) {
      const reason = forced
        ? `forced (${options.prefer !== undefined ? "option prefer" : "RERANK_BACKEND"}): ${attempt.detail}`
        : `best available: ${attempt.detail}`;
      return { name, tfjsName: tf.getBackend(), reason, skipped };
    }
    skipped.push({ name, reason: attempt.detail });
  }
  const why = skipped.map((entry) => `${entry.name}: ${entry.reason}`).join("; ");
  throw new Error(
    `selectBackend: none of ${candidates.join(", ")} could start (${why}). ` +
      `Unset RERANK_BACKEND or pass { prefer: "wasm" } to use the portable backend.`,
  );
}

type Attempt = { ok: true; detail: string } | { ok: false; detail: string };

async function tryBackend(name: BackendName, forced: boolean, allowSoftwareAdapter: boolean): Promise<Attempt> {
  try {
    switch (name) {
      case "tensorflow-gpu":
        return await tryNative("@tensorflow/tfjs-node-gpu", "CUDA");
      case "tensorflow":
        return await tryNative("@tensorflow/tfjs-node", "CPU");
      case "webgpu":
        return await tryWebGpu(forced, allowSoftwareAdapter);
      case "wasm":
        require("@tensorflow/tfjs-backend-wasm");
        return await setAndCheck("wasm", "XNNPACK with SIMD, single-threaded in Node");
      case "cpu":
        return await setAndCheck("cpu", "plain JavaScript kernels (slowest)");
    }
  } catch (error) {
    return { ok: false, detail: firstLine(error) };
  }
}

async function tryNative(packageName: string, device: string): Promise<Attempt> {
  try {
    require.resolve(packageName);
  } catch {
    return { ok: false, detail: `${packageName} is not installed (npm install ${packageName}@4.22.0 needs libtensorflow)` };
  }
  try {
    require(packageName);
  } catch (error) {
    return { ok: false, detail: `${packageName} failed to load: ${firstLine(error)}` };
  }
  if (!isRegistered("tensorflow")) {
    return {
      ok: false,
      detail: `${packageName} resolves to a package that registers no native "tensorflow" backend (an npm override to plain @tensorflow/tfjs?)`,
    };
  }
  return setAndCheck("tensorflow", `${packageName} (libtensorflow, ${device})`);
}

/** Device nodes a hardware Vulkan driver opens on Linux: NVIDIA's, or a DRM render node (AMD, Intel). */
function hasGpuDeviceNode(): boolean {
  try {
    return fs.readdirSync("/dev").some((name) => name === "nvidia0" || name === "dxg") ||
      (fs.existsSync("/dev/dri") && fs.readdirSync("/dev/dri").some((name) => name.startsWith("renderD")));
  } catch {
    return false;
  }
}

async function tryWebGpu(forced: boolean, allowSoftwareAdapter: boolean): Promise<Attempt> {
  // Unforced, do not even load Dawn without a GPU (it prints warnings and costs time in every process).
  if (!forced && process.platform === "linux" && !hasGpuDeviceNode()) {
    return { ok: false, detail: "no GPU device (/dev/nvidia0 or /dev/dri/renderD*); force with RERANK_BACKEND=webgpu" };
  }
  let gpu: { requestAdapter(options?: object): Promise<unknown> };
  let globals: Record<string, unknown>;
  try {
    // The webgpu package is an ES module: import it dynamically from CommonJS.
    const webgpu = (await import("webgpu")) as unknown as {
      create(flags: string[]): typeof gpu;
      globals: Record<string, unknown>;
    };
    gpu = webgpu.create([]);
    globals = webgpu.globals;
  } catch (error) {
    return { ok: false, detail: `the webgpu package (Dawn) failed to load: ${firstLine(error)}` };
  }
  const adapter = (await gpu.requestAdapter({ powerPreference: "high-performance" })) as
    | { isFallbackAdapter?: boolean; info?: { vendor?: string; description?: string; architecture?: string; isFallbackAdapter?: boolean } }
    | null;
  if (!adapter) {
    return {
      ok: false,
      detail:
        "Dawn found no GPU adapter (needs libvulkan.so.1 and a Vulkan driver: NVIDIA's ships nvidia_icd.json, and " +
        "where a container mounts the driver elsewhere, point VK_DRIVER_FILES at that file; Mesa's lavapipe needs " +
        "Mesa ≥ 23, on Debian 12 from bookworm-backports — npm run setup installs it)",
    };
  }
  const software = adapter.isFallbackAdapter === true || adapter.info?.isFallbackAdapter === true || adapter.info?.architecture === "software";
  if (software && !allowSoftwareAdapter) {
    return {
      ok: false,
      detail: `the only WebGPU adapter is a software one (${adapter.info?.description ?? "CPU"}), slower than wasm; ` +
        "to test the WebGPU path on it anyway, set RERANK_WEBGPU_SOFTWARE=1",
    };
  }
  // The tfjs WebGPU backend reads navigator.gpu and the GPU* constants (GPUBufferUsage, …) from globals.
  Object.assign(globalThis, globals);
  const globalWithNavigator = globalThis as unknown as { navigator?: { gpu?: unknown } };
  if (!globalWithNavigator.navigator) {
    Object.defineProperty(globalThis, "navigator", { value: {}, configurable: true, writable: true });
  }
  if (!globalWithNavigator.navigator!.gpu) {
    Object.defineProperty(globalWithNavigator.navigator!, "gpu", { value: gpu, configurable: true });
  }
  const { WebGPUBackend } = require("@tensorflow/tfjs-backend-webgpu") as {
    WebGPUBackend: new (device: unknown, adapterInfo?: unknown) => tf.KernelBackend;
  };
  if (!isRegistered("webgpu")) {
    tf.registerBackend("webgpu", async () => {
      // The features and limits tfjs's own browser registration asks for; without them the device gets WebGPU's
      // defaults (e.g. 128 MiB per storage binding), which large embedding tables exceed.
      const gpuAdapter = adapter as unknown as {
        features: Set<string>;
        limits: Record<string, number>;
        requestDevice(descriptor: object): Promise<unknown>;
      };
      const limitNames = ["maxComputeWorkgroupStorageSize", "maxComputeWorkgroupsPerDimension", "maxStorageBufferBindingSize",
        "maxBufferSize", "maxComputeWorkgroupSizeX", "maxComputeInvocationsPerWorkgroup", "maxStorageBuffersPerShaderStage"];
      const device = await gpuAdapter.requestDevice({
        requiredFeatures: ["timestamp-query", "bgra8unorm-storage"].filter((feature) => gpuAdapter.features.has(feature)),
        requiredLimits: Object.fromEntries(limitNames.map((name) => [name, gpuAdapter.limits[name]])),
      });
      return new WebGPUBackend(device, adapter.info);
    }, 3);
  }
  const description = adapter.info?.description || adapter.info?.vendor || "unknown adapter";
  return setAndCheck("webgpu", `WebGPU through Dawn on ${description}`);
}

async function setAndCheck(tfjsName: string, detail: string): Promise<Attempt> {
  const ok = await tf.setBackend(tfjsName);
  if (!ok) return { ok: false, detail: `tf.setBackend("${tfjsName}") failed to initialise` };
  await tf.ready();
  // A tiny op proves the kernels run. Read asynchronously: WebGPU in Node has no synchronous read (tfjs's readSync
  // there needs the browser's OffscreenCanvas).
  const product = tf.matMul(tf.ones([2, 2]), tf.ones([2, 2]));
  const probe = (await product.data())[0];
  product.dispose();
  if (probe !== 2) return { ok: false, detail: `${tfjsName} backend computed a wrong 2×2 matMul (${probe})` };
  return { ok: true, detail };
}

/** Whether tfjs has a backend factory of that name (`tf.findBackendFactory` throws for unknown names). */
function isRegistered(tfjsName: string): boolean {
  try {
    return tf.findBackendFactory(tfjsName) != null;
  } catch {
    return false;
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!;
}
