import torch, json, math
torch.set_printoptions(precision=8)
s = torch.tensor([[0.5, -1.2, 2.0, 0.1], [1.5, 0.3, -0.7, -2.2]], dtype=torch.float64, requires_grad=True)
y = torch.tensor([[1., 0., 2., 0.], [0., 1., 0., 0.]], dtype=torch.float64)
def out(name, loss):
    g, = torch.autograd.grad(loss, s)
    print(name, json.dumps({"loss": loss.item(), "grad": g.tolist()}))
out("bce", torch.nn.functional.binary_cross_entropy_with_logits(s, (y>0).double()))
# ranknet: pairs i>j by label
d = s[:, :, None] - s[:, None, :]
m = (y[:, :, None] > y[:, None, :]).double()
out("ranknet", (m * torch.nn.functional.softplus(-d)).sum() / m.sum())
t = y / y.sum(1, keepdim=True)
out("listnet", (-(t * torch.log_softmax(s, 1)).sum(1)).mean())
# lambda
ranks = 1 + (s.detach()[:, None, :] > s.detach()[:, :, None]).double().sum(2)
disc = 1 / torch.log2(1 + ranks)
G = 2**y - 1
idcg = torch.tensor([sum((2**l - 1)/math.log2(i+2) for i, l in enumerate(sorted(row, reverse=True))) for row in y.tolist()], dtype=torch.float64)
w = (G[:, :, None] - G[:, None, :]).abs() * (disc[:, :, None] - disc[:, None, :]).abs() / idcg[:, None, None]
out("lambda", ((m * w * torch.nn.functional.softplus(-d)).sum((1, 2))).mean())
# adamw
torch.manual_seed(0)
p = torch.nn.Parameter(torch.tensor([[0.5, -0.3], [0.2, 0.8]]))
b = torch.nn.Parameter(torch.tensor([0.1, -0.1]))
opt = torch.optim.AdamW([{"params": [p], "weight_decay": 0.1}, {"params": [b], "weight_decay": 0.0}], lr=0.01, betas=(0.9, 0.999), eps=1e-8)
grads = [([[0.1, -0.2], [0.3, 0.05]], [1.0, -0.5]), ([[-0.4, 0.1], [0.0, 0.2]], [0.2, 0.3]), ([[0.25, 0.25], [-0.1, -0.3]], [-1.0, 0.1])]
lrs = [0.01, 0.005, 0.002]
for (gp, gb), lr in zip(grads, lrs):
    for group in opt.param_groups: group["lr"] = lr
    p.grad = torch.tensor(gp); b.grad = torch.tensor(gb)
    opt.step()
print("adamw", json.dumps({"p": p.tolist(), "b": b.tolist()}))
g = [torch.tensor([3., 4.], requires_grad=True), torch.tensor([[12.]], requires_grad=True)]
for t_ in g: t_.grad = t_.detach().clone()
n = torch.nn.utils.clip_grad_norm_(g, 1.0)
print("clip", n.item(), [t_.grad.tolist() for t_ in g])
