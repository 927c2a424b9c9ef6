using TorchSharp;

Console.WriteLine($"OrzDynamic CLI — under construction. torch {torch.__version__}");
using var t = torch.randn(3, 3);
Console.WriteLine(t.sum().item<float>());
return 0;
