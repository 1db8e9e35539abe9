"""PyTorch peer of bench/unet-train.bench.ts: the lecture's spot U-Net (base 24), BCE on a
clipped relu output (Keras' binary_crossentropy), Adam 1e-3, one step per epoch on a batch
of N x H x W x 1. Prints one JSON line: seconds per epoch (median after one warm-up; wall and CPU of all
threads) and the
number of threads torch used (torch.get_num_threads()). Env TORCH_THREADS sets it
(torch.set_num_threads); bench/unet-train.bench.ts runs it with 1 and with 2 threads so that the
ratio compares like with like (PyTorch picks the number of cores by default, which on a shared
machine can differ from what the wasm backend uses)."""
import json, os, sys, time
import torch
import torch.nn as nn

n, h, w = (int(v) for v in sys.argv[1].split(','))
epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
device = sys.argv[3] if len(sys.argv) > 3 else ('cuda' if torch.cuda.is_available() else 'cpu')
if os.environ.get('TORCH_THREADS'):
    torch.set_num_threads(int(os.environ['TORCH_THREADS']))


def conv(ci, co):
    return nn.Sequential(nn.Conv2d(ci, co, 3, padding=1), nn.ReLU())


class SpotUNet(nn.Module):
    def __init__(self, b):
        super().__init__()
        self.c1 = nn.Sequential(conv(1, b), conv(b, b))
        self.c2 = nn.Sequential(conv(b, 2 * b), conv(2 * b, 2 * b))
        self.c3 = nn.Sequential(conv(2 * b, 4 * b), conv(4 * b, 4 * b))
        self.c4 = nn.Sequential(conv(6 * b, 2 * b), conv(2 * b, 2 * b))
        self.c5 = nn.Sequential(conv(3 * b, b), conv(b, b))
        self.out = nn.Conv2d(b, 1, 1)
        self.pool = nn.MaxPool2d(2)
        self.up = nn.Upsample(scale_factor=2, mode='nearest')

    def forward(self, x):
        c1 = self.c1(x)
        c2 = self.c2(self.pool(c1))
        c3 = self.c3(self.pool(c2))
        c4 = self.c4(torch.cat([self.up(c3), c2], 1))
        c5 = self.c5(torch.cat([self.up(c4), c1], 1))
        return torch.relu(self.out(c5))


torch.manual_seed(0)
model = SpotUNet(24).to(device)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.randn(n, 1, h, w, device=device)
y = (torch.rand(n, 1, h, w, device=device) > 0.99).float()
eps = 1e-7


def step():
    opt.zero_grad()
    p = model(x).clamp(eps, 1 - eps)
    loss = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
    loss.backward()
    opt.step()
    return loss


times, cpus = [], []
for e in range(epochs + 1):
    if device == 'cuda':
        torch.cuda.synchronize()
    t0, c0 = time.perf_counter(), time.process_time()
    loss = step()
    loss.item()
    if device == 'cuda':
        torch.cuda.synchronize()
    if e > 0:
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
times.sort()
cpus.sort()
print(json.dumps({'s_per_epoch': times[len(times) // 2], 'cpu_s_per_epoch': cpus[len(cpus) // 2],
                  'device': device, 'threads': torch.get_num_threads(),
                  'torch': torch.__version__}))
