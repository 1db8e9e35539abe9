/**
 * Saving and loading tfjs models on disk without tfjs-node.
 *
 * tfjs' `file://` handlers live in `@tensorflow/tfjs-node`, which cannot be installed here (its
 * installer downloads libtensorflow from outside the registry). This module is a small custom
 * `tf.io` handler that writes the same two files tfjs-node would — `model.json` (the model
 * topology, the training config if any, and a weights manifest in tfjs' standard format) and
 * `weights.bin` (all weights, little-endian float32 in manifest order) — so a saved model also
 * loads with `tf.loadLayersModel('file://…/model.json')` under tfjs-node or over http in a
 * browser.
 *
 * Writes are atomic (`writeFileAtomic`: temporary file + rename); `weights.bin` is written
 * before `model.json`, so a `model.json` on disk always refers to complete weights. Loading
 * checks that the weight file's size matches the manifest and names the file on any problem.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** What {@link saveModel} wrote. */
export interface SavedModelInfo {
  /** The absolute directory. */
  dir: string;
  /** The files written (absolute paths). */
  files: string[];
  /** Bytes of weights. */
  weightBytes: number;
}

function dtypeBytes(dtype: string | undefined): number {
  switch (dtype ?? 'float32') {
    case 'float32':
    case 'int32':
      return 4;
    case 'bool':
      return 1;
    default:
      return 4;
  }
}

/**
 * Saves a tfjs LayersModel to a directory as `model.json` + `weights.bin` (tfjs' format).
 *
 * @param model the model to save (e.g. a trained {@link buildSpotUNet})
 * @param dir the directory; created if missing; existing files of the same names are replaced atomically
 * @returns the directory, the files written and the weight bytes
 * @example
 *   await saveModel(unet, 'build/models/spot-unet');
 *   const again = await loadModel('build/models/spot-unet');
 */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<SavedModelInfo> {
  if (!model || typeof (model as { save?: unknown }).save !== 'function') throw new Error('saveModel: model must be a tfjs LayersModel');
  if (typeof dir !== 'string' || dir.length === 0) throw new Error('saveModel: dir must be a non-empty string');
  const root = resolve(dir);
  if (existsSync(root) && !statSync(root).isDirectory()) throw new Error(`saveModel: ${root} exists and is not a directory`);
  const files: string[] = [];
  let weightBytes = 0;
  const handler: tf.io.IOHandler = {
    save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error('saveModel: binary model topologies are not supported (expected a LayersModel)');
      }
      const data = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      weightBytes = data.byteLength;
      files.push(writeFileAtomic(join(root, WEIGHTS_BIN), new Uint8Array(data)));
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      files.push(writeFileAtomic(join(root, MODEL_JSON), JSON.stringify(modelJson)));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
  await model.save(handler);
  return { dir: root, files, weightBytes };
}

/**
 * Loads a model saved by {@link saveModel} (or any tfjs layers model in `model.json` + weight
 * files, e.g. one written by tfjs-node or the Python `tensorflowjs` converter).
 *
 * @param dir the directory holding `model.json` (or the path of a `.json` file itself)
 * @returns the tfjs LayersModel with its weights, uncompiled
 * @example
 *   const unet = await loadModel('build/models/spot-unet');
 *   const pred = await predictImage(unet, testImg, { normalize: stats });
 */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  if (typeof dir !== 'string' || dir.length === 0) throw new Error('loadModel: dir must be a non-empty string');
  const target = resolve(dir);
  if (!existsSync(target)) throw new Error(`loadModel: ${target} does not exist`);
  const jsonPath = statSync(target).isDirectory() ? join(target, MODEL_JSON) : target;
  const root = statSync(target).isDirectory() ? target : resolve(target, '..');
  if (!existsSync(jsonPath)) throw new Error(`loadModel: ${jsonPath} not found (is ${target} a directory written by saveModel?)`);
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(readFileSync(jsonPath, 'utf8')) as tf.io.ModelJSON;
  } catch (err) {
    throw new Error(`loadModel: ${jsonPath} is not valid JSON: ${(err as Error).message}`);
  }
  if (!modelJson || typeof modelJson !== 'object' || !modelJson.modelTopology) {
    throw new Error(`loadModel: ${jsonPath} has no modelTopology (not a tfjs model.json)`);
  }
  if (!Array.isArray(modelJson.weightsManifest)) {
    throw new Error(`loadModel: ${jsonPath} has no weightsManifest`);
  }
  const handler: tf.io.IOHandler = {
    load: async (): Promise<tf.io.ModelArtifacts> =>
      tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: Uint8Array[] = [];
        let expected = 0;
        for (const group of manifest) {
          for (const w of group.weights) {
            specs.push(w);
            if (w.quantization) throw new Error(`loadModel: ${jsonPath}: quantised weights are not supported`);
            expected += w.shape.reduce((a, b) => a * b, 1) * dtypeBytes(w.dtype);
          }
          for (const p of group.paths) {
            const file = join(root, p);
            if (!existsSync(file)) throw new Error(`loadModel: weight file ${file} named in ${jsonPath} is missing`);
            buffers.push(readFileSync(file));
          }
        }
        const total = buffers.reduce((a, b) => a + b.byteLength, 0);
        if (total !== expected) {
          throw new Error(`loadModel: the weight files in ${root} hold ${total} bytes but ${jsonPath} describes ${expected} (corrupt or truncated)`);
        }
        const data = new Uint8Array(total);
        let off = 0;
        for (const b of buffers) {
          data.set(b, off);
          off += b.byteLength;
        }
        return [specs, data.buffer];
      }),
  };
  try {
    return await tf.loadLayersModel(handler);
  } catch (err) {
    const msg = (err as Error).message;
    throw new Error(msg.startsWith('loadModel:') ? msg : `loadModel: cannot build the model from ${jsonPath}: ${msg}`);
  }
}
