using SkiaSharp;

namespace OrzDynamic.Plotting.Tests;

/// <summary>Checks on decoded PNG files.</summary>
internal static class PngAssert
{
    /// <summary>Decodes <paramref name="path"/> and checks size and that it is not a blank canvas.</summary>
    public static SKBitmap DecodesWithSize(string path, int width, int height)
    {
        Assert.That(File.Exists(path), Is.True, $"missing {path}");
        var bitmap = SKBitmap.Decode(path);
        Assert.That(bitmap, Is.Not.Null, $"{path} does not decode as an image");
        Assert.That(bitmap.Width, Is.EqualTo(width), "width");
        Assert.That(bitmap.Height, Is.EqualTo(height), "height");
        return bitmap;
    }

    /// <summary>Fraction of pixels that differ from the top-left (background) pixel.</summary>
    public static double NonBackgroundFraction(SKBitmap bitmap)
    {
        var background = bitmap.GetPixel(0, 0);
        long differing = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                if (bitmap.GetPixel(x, y) != background)
                {
                    differing++;
                }
            }
        }

        return differing / (double)(((bitmap.Width + 1) / 2) * ((bitmap.Height + 1) / 2));
    }

    /// <summary>Number of pixels (sampled every 2 px) within <paramref name="tolerance"/> per channel of <paramref name="hex"/>.</summary>
    public static int CountColour(SKBitmap bitmap, string hex, int tolerance = 6)
    {
        var c = SKColor.Parse(hex);
        var count = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var p = bitmap.GetPixel(x, y);
                if (Math.Abs(p.Red - c.Red) <= tolerance && Math.Abs(p.Green - c.Green) <= tolerance && Math.Abs(p.Blue - c.Blue) <= tolerance)
                {
                    count++;
                }
            }
        }

        return count;
    }
}
