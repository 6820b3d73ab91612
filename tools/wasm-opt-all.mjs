#!/usr/bin/env node
// `wasm-opt -Oz` for many modules at once: the main module and every chunk
// of the split bundle, each file rewritten in place. binaryen's npm CLI is
// binaryen compiled to WASM and spends a second compiling itself per call;
// with two hundred chunks that was most of the release build. Here two
// worker threads load binaryen once each and share the files.
//
// Usage: node tools/wasm-opt-all.mjs <file.wasm>…
import binaryen from 'binaryen';
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

/** What scripts/build.sh used to pass to wasm-opt, as binaryen settings. */
function optimize(file) {
  const module = binaryen.readBinary(readFileSync(file));
  try {
    // As the CLI: the features the module declares, plus these.
    const F = binaryen.Features;
    module.setFeatures(module.getFeatures() | F.BulkMemory | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals);
    // -Oz
    binaryen.setOptimizeLevel(2);
    binaryen.setShrinkLevel(2);
    module.optimize();
    // Producer and feature notes are metadata nobody reads, repeated in
    // every chunk.
    module.runPasses(['strip-producers', 'strip-target-features']);
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
