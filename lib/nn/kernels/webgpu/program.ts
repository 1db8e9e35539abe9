/**
 * The small layer between this project's WGSL kernels and tfjs-backend-webgpu 4.22: a program
 * description that `WebGPUBackend.runWebGPUProgram` accepts, and helpers to write WGSL that
 * runs fast on every WebGPU device, including Mesa's software Vulkan driver (lavapipe).
 *
 * Why through `runWebGPUProgram` rather than our own pipelines: the backend owns the command
 * encoder, batches dispatches into few queue submits, keeps buffers alive while queued work
 * uses them, caches pipelines by `shaderKey`, and times each program under `tf.profile`. A
 * program here only supplies WGSL for `main()`; the backend prepends the bindings (`result`,
 * one `array` per input, `uniforms`) and the entry point.
 *
 * Rules every kernel here follows, learnt by measuring on lavapipe (bench/UNET-PERF.md):
 * - A load from a storage buffer costs tens of CPU cycles on lavapipe (bounds check and, when
 *   the address differs between invocations, a loop over the 8 SIMD lanes), an FMA about two.
 *   So kernels keep large register tiles and load `vec4`s: many FMAs per load.
 * - Private arrays indexed by a loop variable become per-lane memory gathers on lavapipe, so
 *   register tiles are written out as separate variables (`unroll` below) and loops over tile
 *   entries are unrolled in the generated WGSL.
 * - Every input binding and the uniform block must be used by the shader: Dawn derives the
 *   bind group layout from the shader ('auto' layout) and rejects a bind group with entries
 *   the shader does not use.
 * - What changes the generated code (vector widths, filter size, strides, tile sizes) is part
 *   of `shaderKey`; sizes that only change loop bounds or offsets (channels, rows, columns,
 *   padding) are uniforms, so one pipeline serves many shapes.
 *
 * A WebGPU program that fails to compile or bind is not an exception: Dawn reports it
 * asynchronously, and the whole command buffer that holds the dispatch is dropped — with every
 * other queued program and upload in it. So the first run of each program gets a command
 * buffer of its own (its inputs uploaded and the queue flushed before it, the queue flushed
 * after it) inside a validation error scope; if the device rejects it, only its own output is
 * lost, the program is marked broken with a loud console error, and from then on `runProgram`
 * throws {@link BrokenProgramError}, which makes the kernel wrapper (`./index.ts`) fall back to
 * tfjs's stock kernel. (The tests compile every program variant the kernels generate on
 * lavapipe.)
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** One uniform of a program: its WGSL declaration and its values (1–4 numbers). */
export interface ProgramUniform {
  /** WGSL member, e.g. 'pads : vec2<i32>' */
  decl: string;
  /** 'int32', 'uint32' or 'float32' */
  type: 'int32' | 'uint32' | 'float32';
  /** the values, as many as the WGSL type has components */
  data: number[];
}

/** What a kernel supplies to run one WGSL compute program. */
export interface ProgramSpec {
  /** Name shown by tf.profile's per-program timings (the constructor name of the program). */
  name: string;
  /** Everything that changes the WGSL text, e.g. 'conv2d_fwd_ci24_co24_k3x3_s1_tp4'. */
  key: string;
  /** Input binding names (WGSL identifiers) with their vector width (1 = f32, 4 = vec4<f32>). */
  inputs: readonly { name: string; components: 1 | 4 }[];
  /** Logical output shape (float32 elements). */
  outputShape: number[];
  /** Vector width of `result` (4 needs the output size to be a multiple of 4). */
  outputComponents: 1 | 4;
  /** dtype of the output (default 'float32'; 'int32' makes `result` an `array<i32>`) */
  outputDtype?: 'float32' | 'int32';
  /** Workgroup size. */
  workgroup: [number, number, number];
  /** Number of workgroups in x, y, z (each at most the device's limit, 65535). */
  dispatch: [number, number, number];
  /** Program uniforms, in order. */
  uniforms: readonly ProgramUniform[];
  /** WGSL source of `fn main()`, plus any helper functions it needs. */
  main: string;
}

/** The largest workgroup count per dispatch dimension WebGPU guarantees. */
export const MAX_WORKGROUPS_PER_DIM = 65535;

/** Thrown by {@link runProgram} for a program the device rejected before. */
export class BrokenProgramError extends Error {
  constructor(readonly key: string, readonly reason: string) {
    super(`the WebGPU program ${key} was rejected by the device: ${reason}`);
    this.name = 'BrokenProgramError';
  }
}

const validated = new Set<string>();
const broken = new Map<string, string>();

/** A WebGPUProgram object that runWebGPUProgram accepts, built from a {@link ProgramSpec}. */
function toProgram(spec: ProgramSpec): WebGPUProgram {
  for (const d of spec.dispatch) {
    if (!Number.isInteger(d) || d < 1 || d > MAX_WORKGROUPS_PER_DIM) {
      throw new Error(`webgpu kernel ${spec.name}: dispatch ${spec.dispatch.join('×')} is outside 1…${MAX_WORKGROUPS_PER_DIM} per dimension`);
    }
  }
  // The class name is what tf.profile reports per program; give each kernel its own.
  const Named = { [spec.name]: class {} }[spec.name];
  const program = Object.assign(new Named(), {
    variableNames: spec.inputs.map((i) => i.name),
    variableComponents: spec.inputs.map((i) => i.components),
    outputComponent: spec.outputComponents,
    outputShape: spec.outputShape,
    shaderKey: spec.key,
    // y and z present: the backend calls main() without a flat index.
    dispatchLayout: { x: [0], y: [1], z: [2] },
    workgroupSize: spec.workgroup,
    dispatch: spec.dispatch,
    uniforms: spec.uniforms.map((u) => `${u.decl},`).join(' '),
    size: false,
    getUserCode: () => spec.main,
  });
  return program as unknown as WebGPUProgram;
}

/**
 * Runs one program on the webgpu backend and returns its output (a new tensor info owned by
 * the caller, refCount 1).
 *
 * @param backend the active WebGPUBackend
 * @param spec the program
 * @param inputs the input tensors, in the order of `spec.inputs`
 */
export function runProgram(backend: WebGPUBackend, spec: ProgramSpec, inputs: readonly TensorInfo[]): TensorInfo {
  if (inputs.length !== spec.inputs.length) throw new Error(`webgpu kernel ${spec.name}: ${inputs.length} inputs for ${spec.inputs.length} bindings`);
  const why = broken.get(spec.key);
  if (why !== undefined) throw new BrokenProgramError(spec.key, why);
  const uniforms = spec.uniforms.map((u) => ({ type: u.type, data: u.data }));
  const first = !validated.has(spec.key);
  if (!first) return backend.runWebGPUProgram(toProgram(spec), inputs as TensorInfo[], spec.outputDtype ?? 'float32', uniforms);
  validated.add(spec.key);
  const device = backend.device;
  for (const t of inputs) backend.uploadToGPU(t.dataId);
  flush(backend);
  device.pushErrorScope('validation');
  try {
    return backend.runWebGPUProgram(toProgram(spec), inputs as TensorInfo[], spec.outputDtype ?? 'float32', uniforms);
  } finally {
    flush(backend);
    void device.popErrorScope().then((e) => {
      if (!e) return;
      broken.set(spec.key, e.message.split('\n')[0]);
      console.error(`neutron-seg: the WebGPU program ${spec.name} (${spec.key}) was rejected by this device: ${e.message.split('\n')[0]}. ` +
        "Its kernel falls back to tfjs's stock kernel from now on; results it computed before are invalid. Please report this.");
    });
  }
}

/** Submits everything the backend has recorded so far as one command buffer. */
function flush(backend: WebGPUBackend): void {
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  backend.submitQueue();
}

/** `n` copies of `f(i)` joined by `sep`: writes unrolled WGSL. */
export function unroll(n: number, f: (i: number) => string, sep = '\n'): string {
  return Array.from({ length: n }, (_, i) => f(i)).join(sep);
}

/** A WGSL f32 literal. */
export function f32(v: number): string {
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

/**
 * A dispatch of `groups` workgroups laid out as x × y within the per-dimension limit; the WGSL
 * reads its flat workgroup index as `workgroupId.y * numWorkgroups.x + workgroupId.x` (the last
 * row may hold a few workgroups past `groups`, which must return early).
 */
export function flatDispatch(groups: number): [number, number, number] {
  const gx = Math.max(1, Math.min(groups, MAX_WORKGROUPS_PER_DIM));
  return [gx, Math.max(1, ceilDiv(groups, gx)), 1];
}

/** Ceiling of a / b for positive integers. */
export function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}
