#!/usr/bin/env python3
"""Print the NumPy reference cases of Tests/KerasKitCLITests/NumpyFormatterTests.swift.

`keraskit predict` without --output prints arrays as `print(array)` does for float32. This script
prints Swift tuples (label, shape, values, NumPy's text) to paste into the test's `cases`:

    .venv-fixtures/bin/python scripts/numpy_print_cases.py
"""
import numpy as np
f=np.float32
rng=np.random.default_rng(7)
cases=[]
def add(label, x, swift=None):
    x=np.asarray(x,dtype=f); cases.append((label,x,swift))
add("positional, shortest digits, padded right, with nan", [0.1, 0.123456789, np.nan])
add("whole numbers and negative zero", [1.0, 2.0, -0.0])
add("zeros", [0, 0])
add("scientific with infinities and nan", [1e-5, 1e5, -np.inf, np.nan])
add("only non-finite", [np.nan, np.inf])
add("only non-finite, negative infinity", [-np.inf, np.nan])
add("scientific pads with the value's own digits", [0.1, 1.2345679e-5])
add("scientific, nine significant digits", np.array([841731191, 846428920], np.uint32).view(f))
add("1e8 switches to scientific", [1e8, 1])
add("ratio above 1000 switches to scientific", [123456.7, 100])
add("positional large", [123456.7, 1000])
add("more than 8 fraction digits are rounded", [0.00012345678, 0.1])
add("rounding a tie", [1.0/512, 0.5])
add("arange(30)/7 in (2, 3, 5)", (np.arange(30,dtype=f)/f(7)).reshape(2,3,5), "sevenths(30)")
add("a long row wraps at 75 columns", np.arange(40,dtype=f)/f(7), "sevenths(40)")
add("random normal (2, 20)", rng.standard_normal((2,20)).astype(f))
add("random normal (3, 4, 6) small", (rng.standard_normal((3,4,6))*0.01).astype(f))
add("random (2, 2, 2, 2) mixed scale", (rng.standard_normal((2,2,2,2))*np.array([1,100],dtype=f)).astype(f))
add("summarized 2-D", (np.arange(2000,dtype=f)/f(7)).reshape(4,500), "sevenths(2000)")
add("summarized 3-D", (np.arange(2000,dtype=f)/f(7)).reshape(2,10,100), "sevenths(2000)")
add("summarized 1-D", np.arange(1001,dtype=f), "(0..<1001).map(Float.init)")
add("empty", np.zeros((0,),f))
add("empty 2-D", np.zeros((2,0),f))
add("one element", [0.5])
add("random LSTM-like outputs (4, 64)", np.tanh(rng.standard_normal((4,64))).astype(f))

out = []
for label,x,swift in cases:
    bits=swift or "bits([" + ", ".join("0x%08x"%b for b in x.ravel().view(np.uint32)) + "])"
    s=str(x)
    out.append('        (%s, %s, %s,\n         %s),' % ('"'+label+'"', list(x.shape), bits, '"""\n' + s + '\n"""' if "\n" in s else '"'+s+'"'))
print("\n".join(out))
