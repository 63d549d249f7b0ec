using MudBlazor;

namespace DiyMl.Web.Components.Layout;

/// <summary>
/// MudBlazor's palette with colours that reach WCAG AA (4.5:1) for white text on filled chips and
/// buttons and for grey text on white; the defaults' bright green, orange and light grey do not.
/// </summary>
public static class Theme
{
    public static MudTheme Accessible { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#4a3cc9",
            Secondary = "#c2185b",
            Info = "#1565c0",
            Success = "#2e7d32",
            Warning = "#9a4d00",
            Error = "#c62828",
            TextSecondary = "rgba(0,0,0,0.68)",
            TextDisabled = "rgba(0,0,0,0.54)",
            ActionDisabled = "rgba(0,0,0,0.54)",
            AppbarBackground = "#4a3cc9",
        },
    };
}
