#!/usr/bin/env python3
"""Makes sample-data/cifar10 from ../shared/datasets/cifar10-subset (reproducibly: same input, same bytes).

data_batch_1.bin.gz: records 0..999 of data_batch_1 (the first 1,000 training images, in file order).
test_batch.bin.gz:   the first 100 records of each class of test_batch, in file order (1,000 images, balanced).
batches.meta.txt:    copied as is.
Usage: python3 make_slice.py [SOURCE_DIR] [TARGET_DIR]
"""
import gzip
import shutil
import sys
from pathlib import Path

RECORD = 1 + 3 * 32 * 32


def records(path):
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    assert len(data) % RECORD == 0, path
    return [data[i:i + RECORD] for i in range(0, len(data), RECORD)]


def write_gz(path, recs):
    # mtime=0 and no file name in the gzip header, so the output is byte-for-byte reproducible
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(b"".join(recs))


def main():
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets/cifar10-subset")
    dst = Path(sys.argv[2] if len(sys.argv) > 2 else "sample-data/cifar10")
    dst.mkdir(parents=True, exist_ok=True)
    train = records(src / "data_batch_1.bin.gz")[:1000]
    test_all = records(src / "test_batch.bin.gz")
    taken, per_class = [], {}
    for i, r in enumerate(test_all):
        if per_class.get(r[0], 0) < 100:
            per_class[r[0]] = per_class.get(r[0], 0) + 1
            taken.append(i)
    assert len(taken) == 1000, len(taken)
    write_gz(dst / "data_batch_1.bin.gz", train)
    write_gz(dst / "test_batch.bin.gz", [test_all[i] for i in taken])
    shutil.copyfile(src / "batches.meta.txt", dst / "batches.meta.txt")
    (dst / "test-indices.txt").write_text("\n".join(map(str, taken)) + "\n")


if __name__ == "__main__":
    main()
