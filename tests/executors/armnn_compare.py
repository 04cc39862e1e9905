#!/usr/bin/python3
"""Runs two TFLite models on Arm NN's CpuRef backend with the same seeded random inputs and
reports whether every output is bit-identical. Exit 0: identical, 1: differ, 2: usage,
77: Arm NN cannot load or run the original model (the caller reports it as a skip)."""
import sys, hashlib
import numpy as np

def run(ann, parser_cls, path, seed, runs):
    parser = parser_cls()
    network = parser.CreateNetworkFromBinaryFile(path)
    graph = 0
    in_names = parser.GetSubgraphInputTensorNames(graph)
    out_names = parser.GetSubgraphOutputTensorNames(graph)
    in_bindings = [parser.GetNetworkInputBindingInfo(graph, n) for n in in_names]
    out_bindings = [parser.GetNetworkOutputBindingInfo(graph, n) for n in out_names]
    runtime = ann.IRuntime(ann.CreationOptions())
    opt, messages = ann.Optimize(network, [ann.BackendId('CpuRef')], runtime.GetDeviceSpec(), ann.OptimizerOptions())
    net_id, _ = runtime.LoadNetwork(opt)
    results = []
    rng = np.random.default_rng(seed)
    for _ in range(runs):
        inputs = []
        for b in in_bindings:
            info = b[1]
            shape = tuple(info.GetShape()[i] for i in range(info.GetNumDimensions()))
            dtype = {ann.DataType_Float32: np.float32, ann.DataType_QAsymmU8: np.uint8,
                     ann.DataType_QAsymmS8: np.int8, ann.DataType_Signed32: np.int32,
                     ann.DataType_QSymmS8: np.int8, ann.DataType_QSymmS16: np.int16}[info.GetDataType()]
            if dtype == np.float32:
                data = rng.standard_normal(shape).astype(np.float32)
            else:
                ii = np.iinfo(dtype)
                data = rng.integers(ii.min, ii.max, size=shape, endpoint=True, dtype=np.int64).astype(dtype)
            inputs.append(data)
        input_tensors = ann.make_input_tensors(in_bindings, inputs)
        output_tensors = ann.make_output_tensors(out_bindings)
        runtime.EnqueueWorkload(net_id, input_tensors, output_tensors)
        results.append([np.array(o, copy=True) for o in ann.workload_tensors_to_ndarray(output_tensors)])
    runtime.UnloadNetwork(net_id)
    return in_names, out_names, results

def main():
    if len(sys.argv) != 5:
        print("usage: armnn_compare.py ORIGINAL REWRITTEN SEED RUNS", file=sys.stderr)
        return 2
    original, rewritten, seed, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    import pyarmnn as ann
    try:
        a = run(ann, ann.ITfLiteParser, original, seed, runs)
    except Exception as e:  # the executor, not the rewrite, is the limit here
        print(f"skip: Arm NN cannot run {original}: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        return 77
    b = run(ann, ann.ITfLiteParser, rewritten, seed, runs)
    if list(a[0]) != list(b[0]) or list(a[1]) != list(b[1]):
        print(f"differ: inputs/outputs {a[0]}->{a[1]} vs {b[0]}->{b[1]}")
        return 1
    for r, (ra, rb) in enumerate(zip(a[2], b[2])):
        for name, x, y in zip(a[1], ra, rb):
            if x.dtype != y.dtype or x.shape != y.shape or x.tobytes() != y.tobytes():
                diff = int(np.count_nonzero(x != y)) if x.shape == y.shape else -1
                print(f"differ: run {r} output '{name}': {diff} elements differ")
                return 1
    digest = hashlib.sha256(b"".join(o.tobytes() for run_ in a[2] for o in run_)).hexdigest()[:16]
    print(f"identical: {len(a[1])} outputs x {runs} runs, sha256 {digest}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
