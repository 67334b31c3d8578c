namespace ClipSearch.WebUi.State;

/// <summary>What a query term refers to.</summary>
public enum TermKind
{
    Text,
    Image,
    Upload,
}
