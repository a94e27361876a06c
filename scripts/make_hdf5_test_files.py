#!/usr/bin/env python3
"""Writes the small HDF5 files in Fixtures/hdf5/ that Tests/HDF5ReadingTests read.

Run once, from the repository root, with any Python that has numpy and h5py:

    .venv-fixtures/bin/python scripts/make_hdf5_test_files.py

The outputs are checked in, so the Swift tests never need Python. The values
written here are repeated literally in HDF5ReadingTests; change both together.
"""

import os
import struct

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures", "hdf5")


def fixed_string_type(size, pad):
    tid = h5py.h5t.C_S1.copy()
    tid.set_size(size)
    tid.set_strpad(pad)
    return h5py.Datatype(tid)


def write_attributes(path):
    with h5py.File(path, "w") as f:
        a = f.attrs
        # Variable-length strings.
        a.create("utf8_scalar", "h\u00e9llo w\u00f6rld", dtype=h5py.string_dtype("utf-8"))
        a.create("ascii_vlen", b"plain ascii", dtype=h5py.string_dtype("ascii"))
        a.create("utf8_array", ["layer_1", "dense/kernel:0", "\u00fcn\u00ef"],
                 dtype=h5py.string_dtype("utf-8"))
        a.create("invalid_utf8", b"bad \xff byte", dtype=h5py.string_dtype("utf-8"))
        # Fixed-length strings, the way Keras 2 writes layer_names (NULLPAD, ASCII).
        a["fixed_nullpad"] = np.array([b"a", b"bcd"])
        a["fixed_scalar"] = np.bytes_(b"tensorflow")
        a.create("fixed_nullterm", np.array([b"ab", b"cdefg"], dtype="S6"),
                 dtype=fixed_string_type(6, h5py.h5t.STR_NULLTERM))
        a.create("fixed_spacepad", np.array([b"ab    ", b"cde   "], dtype="S6"),
                 dtype=fixed_string_type(6, h5py.h5t.STR_SPACEPAD))
        # Numbers.
        a["empty_floats"] = np.zeros((0,), dtype="float64")  # Keras' empty name list
        a["int_scalar"] = np.int64(42)
        a["int32_array"] = np.array([1, -2, 3], dtype="int32")
        a["uint8_array"] = np.array([0, 200, 255], dtype="uint8")
        a["float_scalar"] = np.float64(1.5)
        a["float32_array"] = np.array([0.25, -1.0], dtype="float32")
        a["float16_scalar"] = np.float16(0.5)
        a["uint64_huge"] = np.array([2**64 - 1], dtype="uint64")
        # Unsupported: complex numbers are an HDF5 compound type.
        a["complex"] = np.complex64(1 + 2j)
        # Attributes on a nested group and on a dataset.
        g = f.create_group("model_weights/dense")
        g.attrs["weight_names"] = np.array([b"dense/kernel:0", b"dense/bias:0"])
        d = g.create_dataset("kernel:0", data=np.arange(4, dtype="float32"))
        d.attrs["note"] = "on a dataset"


def write_datasets(path):
    with h5py.File(path, "w") as f:
        w = f.create_group("model_weights/lstm/lstm/lstm_cell")
        w["kernel:0"] = np.arange(6, dtype="float32").reshape(2, 3) / 4
        w["bias:0"] = np.array([1.0, -1.0, 0.5], dtype="float32")
        t = f.create_group("types")
        t["float16"] = np.array([1.0, -2.0, 0.5, 65504.0, np.inf], dtype="float16")
        t["float16_be"] = np.array([1.0, -2.0], dtype=">f2")
        t["float32_be"] = np.array([[1.5, -2.25], [3.0, 1e-3]], dtype=">f4")
        t["float64"] = np.array([np.pi, -1e300, 0.0], dtype="float64")
        t["int8"] = np.array([-128, 127], dtype="int8")
        t["int16"] = np.array([-300, 300], dtype="int16")
        t["int32"] = np.array([[-1, 2], [3, -4], [5, 6]], dtype="int32")
        t["int64"] = np.array([-(2**62), 2**62], dtype="int64")
        t["uint8"] = np.array([0, 1, 255], dtype="uint8")
        t["uint16"] = np.array([65535], dtype="uint16")
        t["uint32"] = np.array([4294967295], dtype="uint32")
        t["uint64"] = np.array([0, 2**63 - 1], dtype="uint64")
        t["uint64_huge"] = np.array([2**63], dtype="uint64")
        t["scalar"] = np.float64(3.25)
        t["empty"] = np.zeros((0, 3), dtype="float32")
        t.create_dataset("chunked_gzip", data=np.arange(100, dtype="float32").reshape(10, 10),
                         chunks=(5, 5), compression="gzip")
        t["strings"] = np.array([b"not", b"numbers"])
        t["bool"] = np.array([True, False])
        t["complex"] = np.array([1 + 2j], dtype="complex64")
        t["float128"] = np.array([1.0], dtype="float128")
        # A 16-bit float that is not IEEE half (bfloat16 layout): must be refused.
        bf16 = h5py.h5t.IEEE_F32LE.copy()
        bf16.set_fields(15, 7, 8, 0, 7)
        bf16.set_offset(0)
        bf16.set_precision(16)
        bf16.set_size(2)
        bf16.set_ebias(127)
        space = h5py.h5s.create_simple((2,))
        dset = h5py.h5d.create(t.id, b"bfloat16", bf16, space)
        dset.write(h5py.h5s.ALL, h5py.h5s.ALL, np.array([0x3F80, 0xC000], dtype="<u2"), mtype=bf16)
        # Declared sizes far beyond the data actually in the file.
        t.create_dataset("huge_chunked", shape=(1 << 20, 1 << 10), dtype="float32",
                         chunks=(1024, 1024))
        t.create_dataset("contiguous_too_big", shape=(1 << 20,), dtype="float32")
        f["links/soft_to_bias"] = h5py.SoftLink("/model_weights/lstm/lstm/lstm_cell/bias:0")
        f["links/dangling"] = h5py.SoftLink("/does/not/exist")
        f["links/external"] = h5py.ExternalLink("attributes.h5", "/model_weights")
        f.create_group("empty_group")
        f["order/b"] = np.zeros(1)
        f["order/a"] = np.zeros(1)
        f["order/c"] = np.zeros(1)


def write_hostile(source, path):
    """A copy of `source` whose /types/float32_be data address points past the end of the
    file, as a damaged or malicious file could (patched in the dataset's layout message)."""
    with h5py.File(source, "r") as f:
        dset = f["types/float32_be"].id
        offset, size = dset.get_offset(), dset.get_storage_size()
    with open(source, "rb") as f:
        data = bytearray(f.read())
    # Layout message version 3, class 1 (contiguous): address and size, 8 bytes each.
    pattern = b"\x03\x01" + struct.pack("<QQ", offset, size)
    assert data.count(pattern) == 1, "layout message not found exactly once"
    at = data.index(pattern)
    data[at + 2:at + 10] = struct.pack("<Q", len(data) - 8)
    with open(path, "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    write_attributes(os.path.join(OUT, "attributes.h5"))
    write_datasets(os.path.join(OUT, "datasets.h5"))

    write_hostile(os.path.join(OUT, "datasets.h5"), os.path.join(OUT, "past_eof.h5"))
    with open(os.path.join(OUT, "datasets.h5"), "rb") as f:
        data = f.read()
    with open(os.path.join(OUT, "truncated.h5"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(os.path.join(OUT, "empty.h5"), "wb"):
        pass
    with open(os.path.join(OUT, "not_hdf5.h5"), "w") as f:
        f.write("This is a text file, not HDF5.\n")


if __name__ == "__main__":
    main()
