// Small browser helpers the Blazor pages call; nothing here holds state.
window.diyml = {
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || null,
    copy: text => navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject(new Error("no clipboard")),
};
