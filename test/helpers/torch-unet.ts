/**
 * The lecture's spot U-Net in PyTorch (NCHW), convolutions in the Keras model's order, and a
 * loader for tfjs weights: the reference for the U-Net and training tests. Python source to
 * prepend to a test's script (defines spot_unet, forward, load).
 */
export const TORCH_SPOT_UNET = `
import torch, torch.nn as nn, torch.nn.functional as F, numpy as np, json, sys
def spot_unet(b):
    C = lambda i, o, k=3: nn.Conv2d(i, o, k, padding=k // 2)
    return nn.ModuleList([C(1, b), C(b, b), C(b, 2*b), C(2*b, 2*b), C(2*b, 4*b), C(4*b, 4*b),
                          C(6*b, 2*b), C(2*b, 2*b), C(3*b, b), C(b, b), C(b, 1, 1)])
def forward(c, x):
    r = F.relu
    l2 = r(c[1](r(c[0](x))))
    l5 = r(c[3](r(c[2](F.max_pool2d(l2, 2)))))
    l8 = r(c[5](r(c[4](F.max_pool2d(l5, 2)))))
    u = torch.cat([l5, F.interpolate(l8, scale_factor=2, mode='nearest')], 1)
    l12 = r(c[7](r(c[6](u))))
    u = torch.cat([l2, F.interpolate(l12, scale_factor=2, mode='nearest')], 1)
    return r(c[10](r(c[9](r(c[8](u))))))
def load(c, weights):
    # tfjs kernels are [kh, kw, cin, cout]; torch wants [cout, cin, kh, kw]
    for i, conv in enumerate(c):
        k = np.array(weights[2*i]['data'], dtype=np.float32).reshape(weights[2*i]['shape'])
        conv.weight.data = torch.from_numpy(k.transpose(3, 2, 0, 1).copy())
        conv.bias.data = torch.from_numpy(np.array(weights[2*i+1]['data'], dtype=np.float32))
`;
