using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace DiyMl.Web.Tests.Components;

/// <summary>A bUnit context with MudBlazor's services and JS calls answered loosely.</summary>
public abstract class MudBunitContext : BunitContext
{
    protected MudBunitContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }
}
