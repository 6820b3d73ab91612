#!/usr/bin/env node
// Cleans up the main module and every chunk of the split bundle after
// wasm-bindgen, each file rewritten in place, with binaryen loaded once per
// worker thread (binaryen's npm CLI is binaryen compiled to WASM and spends
// a second compiling itself per call).
//
// Not `wasm-opt -Oz`: LLVM has already optimised the code for size, and
// what -Oz adds makes the compressed bundle larger. Its inlining and the
// reordering of functions by call count shrink the raw bytes but break up
// the runs of near-identical monomorphised functions that gzip and brotli
// compress well. Measured on the release bundle of 2026-12-07 (gzip -9 of
// every file, summed), then split into 287 modules: -Oz 1419 KiB, these
// passes 1340 KiB, nothing 7325 KiB (the splitter leaves empty placeholder
// data segments in every chunk); `inlining-optimizing` alone +103 KiB,
// `reorder-functions` +45 KiB. Split into 3 modules: -Oz 1081 KiB of WASM,
// these passes 925 KiB, in 5 s instead of 79 s.
//
// Usage: node tools/wasm-opt-all.mjs <file.wasm>…
import binaryen from 'binaryen';
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

/** Size passes that do not undo LLVM's code layout. */
const PASSES = [
  // Identical functions (monomorphisations that compile to the same code)
  // become one: -9 KiB gzip.
  'duplicate-function-elimination',
  // What nothing references any more, and the empty data segments the
  // splitter writes into each chunk in place of the main module's data.
  'remove-unused-module-elements',
  'memory-packing',
  // Producer and feature notes are metadata nobody reads, repeated in
  // every chunk.
  'strip-producers',
  'strip-target-features',
];

function optimize(file) {
  const module = binaryen.readBinary(readFileSync(file));
  try {
    // As the CLI: the features the module declares, plus these.
    const F = binaryen.Features;
    module.setFeatures(module.getFeatures() | F.BulkMemory | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals);
    binaryen.setOptimizeLevel(2);
    binaryen.setShrinkLevel(2);
    module.runPasses(PASSES);
    writeFileSync(file, module.emitBinary());
  } finally {
    module.dispose();
  }
}

if (isMainThread) {
  const files = process.argv.slice(2);
  // Largest first, so the main module does not start last.
  files.sort((a, b) => statSync(b).size - statSync(a).size);
  const workers = Math.max(1, Math.min(2, availableParallelism(), files.length));
  const queues = Array.from({ length: workers }, () => []);
  // Greedy by size: each file to the queue with the fewest bytes so far.
  const load = new Array(workers).fill(0);
  for (const file of files) {
    const i = load.indexOf(Math.min(...load));
    queues[i].push(file);
    load[i] += statSync(file).size;
  }
  const runs = queues.map(
    (queue) =>
      new Promise((resolve, reject) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: queue });
        worker.on('message', resolve);
        worker.on('error', reject);
        worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`wasm-opt-Worker endete mit ${code}`))));
      }),
  );
  try {
    await Promise.all(runs);
  } catch (error) {
    console.error(`wasm-opt fehlgeschlagen: ${error.message}`);
    process.exit(1);
  }
} else {
  for (const file of workerData) {
    try {
      optimize(file);
    } catch (error) {
      throw new Error(`${file}: ${error.message}`);
    }
  }
  parentPort.postMessage('fertig');
}
