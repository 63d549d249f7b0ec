using DiyMl.Domain.Common;
using DiyMl.Domain.Datasets;
using DiyMl.Web.Auth;
using DiyMl.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace DiyMl.Web.Components.Pages.Datasets;

public sealed partial class DatasetPage
{
    internal const string AllLabels = "\u0001all";
    internal const string Unlabelled = "\u0001none";
    private const string AllFormats = "\u0001all";
    private const int PageSize = 48;

    private readonly HashSet<string> _selected = new(StringComparer.Ordinal);
    private List<BreadcrumbItem> _breadcrumbs = [];
    private DatasetSummary? _summary;
    private IReadOnlyList<DiyMl.Domain.Models.ModelVersion> _versions = [];
    private Page<ImageAsset>? _page;
    private string _userId = "";
    private string _labelFilter = AllLabels;
    private string _formatFilter = AllFormats;
    private bool _duplicatesOnly;
    private int _pageNumber = 1;
    private bool _notFound;
    private bool _showCamera;
    private string? _cameraClass;

    [Parameter]
    public string Id { get; set; } = "";

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    [Inject]
    private DatasetService Datasets { get; set; } = null!;

    [Inject]
    private GalleryService Gallery { get; set; } = null!;

    [Inject]
    private ClassService Classes { get; set; } = null!;

    [Inject]
    private DiyMl.Domain.Models.ModelService Models { get; set; } = null!;

    [Inject]
    private IDialogService Dialogs { get; set; } = null!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    private int PageCount => _page is null ? 0 : (int)Math.Ceiling(_page.Total / (double)PageSize);

    private bool AllOnPageSelected => _page is { Items.Count: > 0 } && _page.Items.All(i => _selected.Contains(i.Id));

    protected override async Task OnParametersSetAsync()
    {
        _userId = (await AuthenticationState).User.GetUserId();
        await ReloadAsync();
    }

    private void OpenCamera(string? className) => (_showCamera, _cameraClass) = (true, className);

    private async Task ReloadAsync()
    {
        try
        {
            _summary = await Datasets.GetSummaryAsync(_userId, Id);
            _versions = await Models.ListVersionsAsync(_userId, Id);
            _breadcrumbs = [new("Datasets", "/datasets"), new(_summary.Dataset.Name, null, disabled: true)];
            var filter = new GalleryFilter(
                _labelFilter is AllLabels or Unlabelled ? null : _labelFilter,
                _labelFilter == Unlabelled,
                _formatFilter == AllFormats ? null : _formatFilter,
                _duplicatesOnly);
            _page = await Gallery.ListAsync(_userId, Id, filter, _pageNumber, PageSize);
            if (_page.Items.Count == 0 && _pageNumber > 1)
            {
                _pageNumber = Math.Max(1, PageCount);
                _page = await Gallery.ListAsync(_userId, Id, filter, _pageNumber, PageSize);
            }
        }
        catch (NotFoundException)
        {
            _notFound = true;
        }

        StateHasChanged();
    }

    private Task FilterByLabelAsync(string label) => Refilter(() => _labelFilter = label);

    private Task FilterByFormatAsync(string format) => Refilter(() => _formatFilter = format);

    private Task FilterByDuplicatesAsync(bool only) => Refilter(() => _duplicatesOnly = only);

    private Task Refilter(Action change)
    {
        change();
        _pageNumber = 1;
        _selected.Clear();
        return ReloadAsync();
    }

    private Task GoToPageAsync(int page)
    {
        _pageNumber = page;
        return ReloadAsync();
    }

    private void Toggle(string imageId, bool selected)
    {
        if (selected)
        {
            _selected.Add(imageId);
        }
        else
        {
            _selected.Remove(imageId);
        }
    }

    private void SelectAllOnPage(bool selected)
    {
        foreach (var image in _page?.Items ?? [])
        {
            Toggle(image.Id, selected);
        }
    }

    private async Task RelabelSelectedAsync(string? label)
    {
        await RunAsync(async () =>
        {
            var changed = await Gallery.SetLabelAsync(_userId, Id, _selected.ToList(), label);
            Snackbar.Add($"{Words.Count(changed, "picture")} now {(label is null ? "without a class" : $"in '{label}'")}.", Severity.Success);
        });
    }

    private async Task DeleteSelectedAsync()
    {
        var count = _selected.Count;
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete images",
            $"Delete {Words.Count(count, "picture")}? This cannot be undone.", yesText: "Delete", cancelText: "Cancel");
        if (confirmed == true)
        {
            await RunAsync(async () =>
            {
                var deleted = await Gallery.DeleteAsync(_userId, Id, _selected.ToList());
                Snackbar.Add($"{Words.Count(deleted, "picture")} deleted.", Severity.Success);
            });
        }
    }

    private async Task RunAsync(Func<Task> action)
    {
        try
        {
            await action();
            _selected.Clear();
        }
        catch (Exception ex) when (ex is DomainValidationException or NotFoundException or ConflictException)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }

        await ReloadAsync();
    }

    private async Task OpenAsync(ImageAsset image)
    {
        var dialog = await Dialogs.ShowAsync<ImageDialog>(image.FileName,
            new DialogParameters<ImageDialog>
            {
                { x => x.UserId, _userId },
                { x => x.DatasetId, Id },
                { x => x.ImageId, image.Id },
                { x => x.Classes, _summary!.Dataset.Classes },
            },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseButton = true });
        if (await dialog.Result is { Canceled: false })
        {
            await ReloadAsync();
        }
    }

    private async Task RenameAsync()
    {
        var dialog = await Dialogs.ShowAsync<TextPromptDialog>("Rename dataset",
            new DialogParameters<TextPromptDialog> { { x => x.Label, "Name" }, { x => x.Value, _summary!.Dataset.Name } });
        if (await dialog.Result is { Canceled: false, Data: string name })
        {
            await RunAsync(() => Datasets.UpdateAsync(_userId, Id, name, null));
        }
    }

    private async Task DeleteDatasetAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete dataset",
            $"Delete '{_summary!.Dataset.Name}' and its {Words.Count(_summary.ImageCount, "picture")}? This cannot be undone.", yesText: "Delete", cancelText: "Cancel");
        if (confirmed == true)
        {
            await Datasets.DeleteAsync(_userId, Id);
            Snackbar.Add("The dataset was deleted.", Severity.Success);
            Navigation.NavigateTo("/datasets");
        }
    }

    private async Task AddClassAsync()
    {
        var dialog = await Dialogs.ShowAsync<TextPromptDialog>("Add a class", new DialogParameters<TextPromptDialog>
        {
            { x => x.Message, "One kind of thing the model should recognise, for example \"cat\"." }, { x => x.Label, "Class name" }, { x => x.ButtonText, "Add" },
        });
        if (await dialog.Result is { Canceled: false, Data: string name })
        {
            await RunAsync(() => Classes.AddAsync(_userId, Id, name));
        }
    }

    private Task TurnIntoDatasetAsync() =>
        RunAsync(async () =>
        {
            await Datasets.SetPurposeAsync(_userId, Id, DatasetPurpose.Training);
            Snackbar.Add("It is now an ordinary dataset: you can train on it.", Severity.Success);
        });
}
