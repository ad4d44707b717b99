#!/usr/bin/python3
"""PyTorch reference for `multimagnet bench` (docs/benchmarks.md): the same workloads, same sizes and batch
sizes, on the sample MNIST digits, 2 threads. Prints one JSON object with the same keys as `bench --json`.

Run: apt-get install python3-torch; /usr/bin/python3 src/bench/python/pytorch_reference.py [--quick] [--cifar-only]
"""
import gzip, json, struct, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as Fn

torch.set_num_threads(2)
torch.manual_seed(1)
QUICK = "--quick" in sys.argv


def load_mnist(path="sample-data/mnist/mnist-10k-images-idx3-ubyte.gz"):
    with gzip.open(path, "rb") as f:
        magic, n, h, w = struct.unpack(">IIII", f.read(16))
        x = np.frombuffer(f.read(n * h * w), dtype=np.uint8).reshape(n, 1, h, w)
    return torch.from_numpy(x.astype(np.float32) / 255.0)


def ae_member1():  # [3, avg, 3], sigmoid, MNIST member 1 of ModelSpecs.java: 310 parameters
    return nn.Sequential(
        nn.Conv2d(1, 3, 3, padding=1), nn.Sigmoid(), nn.AvgPool2d(2),
        nn.Conv2d(3, 3, 3, padding=1), nn.Sigmoid(),
        nn.Conv2d(3, 3, 3, padding=1), nn.Sigmoid(), nn.Upsample(scale_factor=2),
        nn.Conv2d(3, 3, 3, padding=1), nn.Sigmoid(),
        nn.Conv2d(3, 1, 3, padding=1), nn.Sigmoid())


def cw_classifier():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.Conv2d(64, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 4 * 4, 200), nn.ReLU(), nn.Linear(200, 200), nn.ReLU(), nn.Linear(200, 10))


def all_cnn():  # the paper's CIFAR-10 classifier, ModelSpecs.cifar10Classifier (dropout off in timing is immaterial)
    return nn.Sequential(
        nn.Conv2d(3, 96, 3, padding=1), nn.ReLU(), nn.Conv2d(96, 96, 3, padding=1), nn.ReLU(),
        nn.Conv2d(96, 96, 3, stride=2, padding=1), nn.Dropout(0.5),
        nn.Conv2d(96, 192, 3, padding=1), nn.ReLU(), nn.Conv2d(192, 192, 3, padding=1), nn.ReLU(),
        nn.Conv2d(192, 192, 3, stride=2, padding=1), nn.Dropout(0.5),
        nn.Conv2d(192, 192, 3, padding=1), nn.ReLU(), nn.Conv2d(192, 192, 1), nn.ReLU(), nn.Conv2d(192, 10, 1),
        nn.AdaptiveAvgPool2d(1), nn.Flatten())


def cifar_member1():  # 16, max, 32, max, 32, ReLU, no hidden batch norm; conv(3, sigmoid) -> BN -> sigmoid
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
        nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
        nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2),
        nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(),
        nn.Conv2d(16, 3, 3, padding=1), nn.Sigmoid(), nn.BatchNorm2d(3, eps=1e-3), nn.Sigmoid())


def cifar(out):
    n = 256 if QUICK else 1024
    xc = torch.rand(n, 3, 32, 32); yc = torch.randint(0, 10, (n,))
    f = all_cnn(); o = torch.optim.SGD(f.parameters(), 0.01, momentum=0.9, nesterov=True)
    def f_epoch(m):
        for i in range(0, m, 32):
            o.zero_grad(); Fn.cross_entropy(f(xc[i:i + 32]), yc[i:i + 32]).backward(); o.step()
    f_epoch(64)
    out["cifar_clf_train_img_s"] = rate(n, lambda: f_epoch(n))
    f.eval()
    with torch.no_grad():
        out["cifar_clf_infer_img_s"] = rate(n, lambda: [f(xc[i:i + 256]) for i in range(0, n, 256)])
    def grads():
        for i in range(0, n, 256):
            b = xc[i:i + 256].clone().requires_grad_(True)
            Fn.cross_entropy(f(b), yc[i:i + 256], reduction="sum").backward()
    out["cifar_input_grad_img_s"] = rate(n, grads)
    a = cifar_member1(); ao = torch.optim.Adam(a.parameters(), 1e-3)
    def a_epoch(m):
        for i in range(0, m, 32):
            b = xc[i:i + 32]; ao.zero_grad(); Fn.mse_loss(a(b), b).backward(); ao.step()
    a_epoch(256)
    out["cifar_ae_train_img_s"] = rate(n, lambda: a_epoch(n))
    a.eval()
    with torch.no_grad():
        out["cifar_ae_infer_img_s"] = rate(n, lambda: [a(xc[i:i + 256]) for i in range(0, n, 256)])


def rate(n, fn):
    t = time.perf_counter(); fn(); return n / (time.perf_counter() - t)


def main():
    if "--cifar-only" in sys.argv:
        out = {"backend": "pytorch " + torch.__version__ + " cpu", "threads": torch.get_num_threads()}
        cifar(out)
        print(json.dumps(out, indent=2))
        return
    x = load_mnist()
    y = torch.randint(0, 10, (x.shape[0],))
    n_train = 2000 if QUICK else 10000
    out = {"backend": "pytorch " + torch.__version__ + " cpu", "threads": torch.get_num_threads()}

    ae = ae_member1(); opt = torch.optim.Adam(ae.parameters(), 1e-3)
    def ae_epoch(n):
        for i in range(0, n, 256):
            b = x[i:i + 256]; opt.zero_grad(); Fn.mse_loss(ae(b), b).backward(); opt.step()
    ae_epoch(1024)
    out["ae_train_img_s"] = rate(n_train, lambda: ae_epoch(n_train))
    with torch.no_grad():
        out["ae_infer_img_s"] = rate(10000, lambda: [ae(x[i:i + 256]) for i in range(0, 10000, 256)])

    clf = cw_classifier(); copt = torch.optim.Adam(clf.parameters(), 1e-3)
    def clf_epoch(n):
        for i in range(0, n, 128):
            copt.zero_grad(); Fn.cross_entropy(clf(x[i:i + 128]), y[i:i + 128]).backward(); copt.step()
    clf_epoch(256)
    out["clf_train_img_s"] = rate(n_train, lambda: clf_epoch(n_train))
    clf.eval()
    with torch.no_grad():
        out["clf_infer_img_s"] = rate(10000, lambda: [clf(x[i:i + 256]) for i in range(0, 10000, 256)])

    def grad_ce(b, t):
        b = b.clone().requires_grad_(True); Fn.cross_entropy(clf(b), t, reduction="sum").backward(); return b.grad
    xa, ya = x[:1000], y[:1000]
    out["fgsm_img_s"] = rate(1000, lambda: (xa + 0.2 * grad_ce(xa, ya).sign()).clamp(0, 1))
    nb = 200 if QUICK else 1000
    def bim():
        adv = x[:nb].clone()
        for _ in range(50):
            adv = adv + 0.07 * grad_ce(adv, y[:nb]).sign()
            adv = torch.min(torch.max(adv, x[:nb] - 0.15), x[:nb] + 0.15).clamp(0, 1)
    out["bim50_img_s"] = rate(nb, bim)

    nd = 50 if QUICK else 200
    def deepfool():
        adv = x[:nd].clone(); lab = y[:nd]
        for _ in range(50):
            a = adv.clone().requires_grad_(True); z = clf(a)
            grads = torch.stack([torch.autograd.grad(z[:, k].sum(), a, retain_graph=True)[0] for k in range(10)], 1)
            zl = z.gather(1, lab[:, None]); gl = grads[torch.arange(nd), lab]
            w = grads - gl[:, None]; f = (z - zl).detach()
            dist = f.abs() / (w.flatten(2).norm(dim=2) + 1e-8); dist[torch.arange(nd), lab] = float("inf")
            k = dist.argmin(1); wk = w[torch.arange(nd), k]
            r = (dist[torch.arange(nd), k] + 1e-4)[:, None, None, None] * wk / (wk.flatten(1).norm(dim=1)[:, None, None, None] + 1e-8)
            adv = (adv + 1.02 * r).clamp(0, 1).detach()
    out["deepfool_img_s"] = rate(nd, deepfool)

    def cw():
        x0 = x[:nd]; lab = y[:nd]
        w = torch.atanh((x0 * 2 - 1) * 0.999999).clone().requires_grad_(True)
        o = torch.optim.Adam([w], lr=0.2)
        onehot = Fn.one_hot(lab, 10).bool()
        for _ in range(100):
            adv = (torch.tanh(w) + 1) / 2; z = clf(adv)
            real = z[onehot]; other = z.masked_fill(onehot, -1e4).max(1)[0]
            loss = ((adv - x0) ** 2).flatten(1).sum(1) + 10 * torch.clamp(real - other, min=0)
            o.zero_grad(); loss.sum().backward(); o.step()
    out["cw100_img_s"] = rate(nd, cw)

    aes = [ae_member1() for _ in range(10)]
    def deploy():
        g = torch.Generator().manual_seed(1)
        with torch.no_grad():
            for c in range(40):
                b = x[c * 100:(c + 1) * 100]; zx = Fn.softmax(clf(b) / 10, 1)
                for m in torch.randperm(10, generator=g)[:5]:
                    r = aes[m](b); (b - r).abs().mean((1, 2, 3)); zr = Fn.softmax(clf(r) / 10, 1); mm = (zx + zr) / 2
                    0.5 * (zx * (zx / mm).log()).sum(1) + 0.5 * (zr * (zr / mm).log()).sum(1)
    out["deploy_n5_img_s"] = rate(4000, deploy)
    cifar(out)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
