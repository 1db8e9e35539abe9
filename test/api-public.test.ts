/**
 * The public API, pinned: the names `neutron-seg` and `neutron-seg/lecture` export. A change to
 * either list is a deliberate diff of this file (add the name here, say why in the commit).
 *
 * Values (functions, classes, constants) are read from the modules at run time; types
 * (interfaces, type aliases) from the TypeScript compiler, since they vanish at run time.
 * Internals must not leak: the names the issue found exported by accident are checked absent.
 */
import ts from 'typescript';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT_VALUES = [
  'Axes', 'Colormap', 'DEFAULT_MAX_PAGES', 'DEFAULT_MAX_PIXELS', 'Figure', 'KMeansFit', 'KNN', 'LOSS_EPSILON',
  'NDArray', 'NN_BACKEND_CANDIDATES', 'absDiff', 'accuracy', 'adjustedRandScore', 'backendInfo', 'bceLoss',
  'bestThreshold', 'binaryCounts', 'buildSpotUNet', 'buildUNet', 'clDiceLoss', 'clDiceScore', 'columnArray',
  'columnStack', 'compile', 'componentsError', 'confusionMatrix', 'connectedComponents', 'corrcoef',
  'countComponents', 'dice', 'diceLoss', 'drawUNet', 'encoderLayers', 'environmentReport', 'f1Score', 'figure',
  'fitRandomCrops', 'focalLoss', 'formatTable', 'frameFromColumns', 'frameToColumns', 'freezeEncoder',
  'gaussianFilter', 'getColormap', 'histogram', 'histogram2d', 'hitCodes', 'imageStats', 'inNotebook', 'iou',
  'kmeans', 'linspace', 'loadModel', 'medianFilter', 'meshgrid', 'modelSummary', 'normalizeImage', 'plot',
  'plotlyFigure', 'positiveClassWeight', 'precision', 'predictImage', 'predictStack', 'prepImg', 'prepMask',
  'progressLine', 'randomCrops', 'randomSplit', 'readFits', 'readFitsHeader', 'readNpy', 'readPng', 'readTiff',
  'recall', 'saveModel', 'segmentationLoss', 'segmentationScores', 'selectBackend', 'showModelSummary',
  'showTable', 'skeletonPrecision', 'skeletonRecall', 'skeletonize', 'sobelH', 'sobelV', 'softDiceLoss',
  'softSkeleton', 'splitTiles', 'spotCleaner', 'subplots', 'thresholdImage', 'trainModel', 'transferWeights',
  'unetDiagram', 'unetParamCount', 'unfreezeAll', 'weightedBceLoss', 'withWeightSeed', 'writeFits', 'writeNpy',
  'writePng',
];
const ROOT_TYPES = [
  'ArrayLike2D', 'ArrowOptions', 'BackendAttempt', 'BackendInfo', 'BestThresholdOptions', 'BinaryCounts',
  'Cell', 'ClDiceLossOptions', 'CmapSpec', 'ColorSpec', 'ColorbarOptions', 'CompileLoss', 'CompileOptions',
  'CompiledModel', 'ComponentsResult', 'ConfusionOptions', 'ConnectedComponentsOptions', 'Connectivity',
  'DType', 'DiagramArrow', 'DiagramBox', 'DiceLossOptions', 'EnvironmentRow', 'FigureLegendOptions',
  'FigureOptions', 'FitOptions', 'FitRandomCropsOptions', 'FitRandomCropsResult', 'FitsCard', 'FitsHeader',
  'FitsValue', 'FocalLossOptions', 'FrameColumn', 'FreezeEncoderOptions', 'FreezeReport', 'GaussianOptions',
  'HeatmapOptions', 'Hist2dOptions', 'Hist2dResult', 'HistOptions', 'HistResult', 'Histogram2dResult',
  'HistogramInput', 'HistogramResult', 'History', 'ImageSet', 'ImageStats', 'ImshowOptions',
  'KMeansClusterInfo', 'KMeansInput', 'KMeansOptions', 'KMeansProgress', 'KNNLabels', 'KNNOptions',
  'KNNPredictOptions', 'KNNProgress', 'LabelInput', 'LegendLoc', 'LegendOptions', 'Mappable', 'MarkerName',
  'MaskSource', 'Matrix', 'NnBackendCandidate', 'NumericArray', 'PatchOptions', 'PlotOptions', 'PlotlyLayout',
  'PlotlyTrace', 'PredictImageOptions', 'PredictStackOptions', 'ProgressLine', 'RandomCropsOptions',
  'ReadFitsOptions', 'ReadPngOptions', 'ReadTiffOptions', 'RefLineOptions', 'SavedModelInfo', 'ScatterOptions',
  'ScoreOptions', 'SegmentationLoss', 'SegmentationLossName', 'SegmentationLossOptions', 'SegmentationScores',
  'SelectBackendOptions', 'Series', 'SliceSpec', 'SobelOptions', 'SpotCleanerResult', 'SummaryRow',
  'TextOptions', 'TilesOptions', 'TrainLossFunction', 'TrainModelOptions', 'TrainModelResult',
  'UNetActivation', 'UNetDiagram', 'UNetOptions', 'WriteFitsOptions', 'WriteNpyOptions', 'WritePngOptions',
];
const LECTURE_VALUES = [
  'ATTENUATION_SOURCE', 'ATTENUATION_TABLE', 'HIT_COLORS', 'HIT_NAMES', 'LATTICE_PARAMETER', 'ROOT_SPLITS',
  'TOF_CLASS_NAMES', 'VESSEL_SPLITS', 'braggReflections', 'buildCMap', 'byProfile', 'deriveSeed',
  'drawAttenuation', 'drawCamouflage', 'drawImagingSetup', 'drawMarkedSpots', 'drawRhizobox', 'ensureData',
  'magnifyRegion', 'makeBlobs', 'makeCamouflage', 'makeCrossImage', 'makeDarkFrame', 'makeOpenBeamFrame',
  'makeRootImage', 'makeRootSet', 'makeSpotFrame', 'makeTofCube', 'makeVesselImage', 'makeVesselSet', 'poissonNoise', 'profile',
  'showHitCases', 'showHitMap', 'spotAnnotationRgb', 'spotMaskFromAnnotation', 'steelCrossSection',
  'writeFileAtomic',
];
const LECTURE_TYPES = [
  'AttenuationOptions', 'AttenuationRow', 'BlobOptions', 'Blobs', 'BraggReflection', 'Camouflage',
  'CamouflageOptions', 'CrossImageOptions', 'CrystalStructure', 'DataGroup', 'EnsureDataOptions',
  'EnsureDataResult', 'HitMapOptions', 'ImagingSetupOptions', 'MagnifyOptions', 'MarkedSpotsOptions', 'Profile',
  'RhizoboxOptions', 'RootImageOptions', 'RootSetOptions', 'SegmentationSample', 'SegmentationSet',
  'SpotEventCounts', 'SpotFrame', 'SpotFrameOptions', 'SteelOptions', 'TofCube', 'TofCubeOptions',
];

/** Internals that were once exported from the package root (issue 14) and must stay out. */
const INTERNALS = [
  'patchCpuResizeNearestNeighborGrad', 'registerWasmTrainingKernels', 'loadDanfo', 'loadFitsjs', 'fitsjsParseHeader',
  'parseCardValue', 'parseFitsCards', 'parseNpyHeader', 'writeFileAtomic', 'histogramCounts', 'tslabDisplay', 'mulberry32',
];

/** Exported names of a module, split into values and type-only names, by the TypeScript checker. */
function exportsOf(file: string): { values: string[]; types: string[] } {
  const path = fileURLToPath(new URL(file, import.meta.url));
  const program = ts.createProgram([path], {
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
    strict: true, skipLibCheck: true, noEmit: true, types: ['node'],
  });
  const checker = program.getTypeChecker();
  const sym = checker.getSymbolAtLocation(program.getSourceFile(path)!)!;
  const values: string[] = [];
  const types: string[] = [];
  for (const e of checker.getExportsOfModule(sym)) {
    const target = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
    (target.flags & ts.SymbolFlags.Value ? values : types).push(e.name);
  }
  return { values: values.sort(), types: types.sort() };
}

describe('public API', () => {
  it('neutron-seg exports exactly the listed values', async () => {
    const mod = await import('../lib/index.js');
    expect(Object.keys(mod).sort()).toEqual(ROOT_VALUES);
    for (const name of INTERNALS) expect(mod).not.toHaveProperty(name);
  });

  it('neutron-seg/lecture exports exactly the listed values, none of them also in the root', async () => {
    const mod = await import('../lib/lecture.js');
    expect(Object.keys(mod).sort()).toEqual(LECTURE_VALUES);
    expect(LECTURE_VALUES.filter((n) => ROOT_VALUES.includes(n))).toEqual([]);
  });

  it('the exported types are exactly the listed ones (TypeScript checker)', () => {
    const root = exportsOf('../lib/index.ts');
    expect(root.values).toEqual(ROOT_VALUES);
    expect(root.types).toEqual(ROOT_TYPES);
    const lecture = exportsOf('../lib/lecture.ts');
    expect(lecture.values).toEqual(LECTURE_VALUES);
    expect(lecture.types).toEqual(LECTURE_TYPES);
  }, 60_000);

  it('the package maps both entry points to the build', () => {
    const text = readFileSync(fileURLToPath(new URL('../lib/package.json', import.meta.url)), 'utf8');
    const pkg = JSON.parse(text) as { exports: Record<string, { default: string; types: string }> };
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(pkg.exports['./lecture']).toEqual({ types: './dist/lecture.d.ts', default: './dist/lecture.js' });
  });
});
