
namespace ClipSearch.Tests.Shared;

/// <summary>A throw-away model folder assembled from the bundled model and the ONNX fixtures.</summary>
internal sealed class TempModelFolder : IDisposable
{
    public TempModelFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "clipsearch-model-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>A full copy of models/tiny-clip (Hugging Face layout).</summary>
    public static TempModelFolder CopyOfTinyClip()
    {
        var folder = new TempModelFolder();
        foreach (var file in Directory.EnumerateFiles(TestPaths.TinyClip, "*", SearchOption.AllDirectories))
        {
            folder.Copy(file, Path.GetRelativePath(TestPaths.TinyClip, file));
        }

        return folder;
    }

    /// <summary>fastembed layout: clip-text/model.onnx with tokenizer files, clip-vision/model.onnx with preprocessor_config.json.</summary>
    public static TempModelFolder FastEmbed(string textFixture, string visionFixture)
    {
        var folder = new TempModelFolder();
        folder.Copy(Fixture(textFixture), "clip-ViT-B-32-text/model.onnx");
        folder.Copy(Path.Combine(TestPaths.TinyClip, "vocab.json"), "clip-ViT-B-32-text/vocab.json");
        folder.Copy(Path.Combine(TestPaths.TinyClip, "merges.txt"), "clip-ViT-B-32-text/merges.txt");
        folder.Copy(Fixture(visionFixture), "clip-ViT-B-32-vision/model.onnx");
        folder.Copy(Path.Combine(TestPaths.TinyClip, "preprocessor_config.json"), "clip-ViT-B-32-vision/preprocessor_config.json");
        return folder;
    }

    public static string Fixture(string name) => TestPaths.Data("onnx-fixtures", name);

    public void Copy(string source, string relative)
    {
        var target = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target, overwrite: true);
    }

    public void Delete(string relative) => File.Delete(Path.Combine(Root, relative));

    public void Write(string relative, string content) => File.WriteAllText(Path.Combine(Root, relative), content);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A session still holding a file open on some platforms; the temp folder is cleaned by the OS.
        }
    }
}
