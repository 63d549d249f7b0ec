using System.Globalization;
using System.Text.Json;
using DiyMl.Domain.Training;

namespace DiyMl.Web.Components.Pages.Models;

/// <summary>
/// Short, complete programs for the download dialog that resize a picture by the portal's rule
/// (<see cref="OnnxInput"/>) and run the ONNX file: a person copies one and changes the file names.
/// </summary>
internal static class OnnxExamples
{
    public static string Python(OnnxInput input, IReadOnlyList<string> classes)
    {
        var s = Size(input);
        var fit = input.Letterbox
            ? $"""
               img = img.convert("RGBA")
               img = Image.alpha_composite(Image.new("RGBA", img.size, "white"), img).convert("RGB")
               img = ImageOps.pad(img, ({s}, {s}), Image.LANCZOS, color="white")  # whole picture on white
               """
            : $"""
               img = ImageOps.fit(img.convert("RGB"), ({s}, {s}), Image.LANCZOS)  # centre square
               """;
        return $$"""
            import json, numpy as np, onnxruntime as ort
            from PIL import Image, ImageOps

            session = ort.InferenceSession("model.onnx")
            labels = json.loads(session.get_modelmeta().custom_metadata_map["labels"])

            img = ImageOps.exif_transpose(Image.open("picture.jpg"))
            {{fit}}
            x = np.asarray(img, dtype=np.uint8)[np.newaxis]      # [1, {{s}}, {{s}}, 3]
            p = session.run(["probabilities"], {"image": x})[0][0]
            print(labels[int(p.argmax())], float(p.max()))
            """;
    }

    public static string CSharp(OnnxInput input, IReadOnlyList<string> classes)
    {
        var s = Size(input);
        var draw = input.Letterbox
            ? $$"""
                var scale = {{s}}f / Math.Max(picture.Width, picture.Height);
                int w = Math.Max(1, (int)Math.Round(picture.Width * scale)), h = Math.Max(1, (int)Math.Round(picture.Height * scale));
                using var scaled = picture.Resize(new SKImageInfo(w, h), SKFilterQuality.High);
                canvas.Clear(SKColors.White);                       // whole picture on white
                canvas.DrawBitmap(scaled, ({{s}} - w) / 2, ({{s}} - h) / 2);
                """
            : $$"""
                var side = Math.Min(picture.Width, picture.Height);   // centre square
                var crop = SKRectI.Create((picture.Width - side) / 2, (picture.Height - side) / 2, side, side);
                using var centre = new SKBitmap();
                picture.ExtractSubset(centre, crop);
                using var scaled = centre.Resize(new SKImageInfo({{s}}, {{s}}), SKFilterQuality.High);
                canvas.DrawBitmap(scaled, 0, 0);
                """;
        return $$"""
            using System.Text.Json;
            using Microsoft.ML.OnnxRuntime;
            using Microsoft.ML.OnnxRuntime.Tensors;
            using SkiaSharp;

            using var session = new InferenceSession("model.onnx");
            var labels = JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap["labels"])!;

            using var picture = SKBitmap.Decode("picture.jpg");   // turned upright first if the camera stored it sideways
            using var square = new SKBitmap({{s}}, {{s}});
            using (var canvas = new SKCanvas(square))
            {
            {{Indent(draw)}}
            }
            var rgb = new byte[{{s}} * {{s}} * 3];
            for (var i = 0; i < {{s}} * {{s}}; i++)
            {
                var c = square.GetPixel(i % {{s}}, i / {{s}});
                (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]) = (c.Red, c.Green, c.Blue);
            }

            var image = new DenseTensor<byte>(rgb, [1, {{s}}, {{s}}, 3]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("image", image)], ["probabilities"]);
            var p = results.First().AsEnumerable<float>().ToArray();
            var best = Array.IndexOf(p, p.Max());
            Console.WriteLine($"{labels[best]} {p[best]:P1}");
            """;
    }

    public static string JavaScript(OnnxInput input, IReadOnlyList<string> classes)
    {
        var s = Size(input);
        var draw = input.Letterbox
            ? $"""
               const scale = {s} / Math.max(img.width, img.height);
               const w = Math.max(1, Math.round(img.width * scale)), h = Math.max(1, Math.round(img.height * scale));
               ctx.fillStyle = "white"; ctx.fillRect(0, 0, {s}, {s});     // whole picture on white
               ctx.drawImage(img, Math.floor(({s} - w) / 2), Math.floor(({s} - h) / 2), w, h);
               """
            : $"""
               const side = Math.min(img.width, img.height);            // centre square
               ctx.drawImage(img, (img.width - side) / 2, (img.height - side) / 2, side, side, 0, 0, {s}, {s});
               """;
        return $$"""
            import * as ort from "onnxruntime-web";

            const labels = {{JsonSerializer.Serialize(classes)}};
            const session = await ort.InferenceSession.create("model.onnx");

            const img = await createImageBitmap(await (await fetch("picture.jpg")).blob());
            const ctx = new OffscreenCanvas({{s}}, {{s}}).getContext("2d");
            ctx.imageSmoothingQuality = "high";
            {{draw}}
            const rgba = ctx.getImageData(0, 0, {{s}}, {{s}}).data;
            const rgb = new Uint8Array({{s}} * {{s}} * 3);
            for (let i = 0; i < {{s}} * {{s}}; i++) {
              rgb[3 * i] = rgba[4 * i]; rgb[3 * i + 1] = rgba[4 * i + 1]; rgb[3 * i + 2] = rgba[4 * i + 2];
            }

            const { probabilities } = await session.run({ image: new ort.Tensor("uint8", rgb, [1, {{s}}, {{s}}, 3]) });
            const p = Array.from(probabilities.data);
            const best = p.indexOf(Math.max(...p));
            console.log(labels[best], p[best]);
            """;
    }

    private static string Size(OnnxInput input) => input.Size.ToString(CultureInfo.InvariantCulture);

    private static string Indent(string lines) => string.Join("\n", lines.Split('\n').Select(l => "    " + l));
}
