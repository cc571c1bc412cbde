//! What keys and mouse events become, and what `update` asks the loop to do.

/// Everything the reader can be asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    /// Space: a page down in the reader.
    ReadOn,
    Open,
    Back,
    ToggleFocus,
    NextArticle,
    PrevArticle,
    ToggleHelp,
    Quit,
    Resize(u16, u16),
    Click(u16, u16),
    WheelUp(u16, u16),
    WheelDown(u16, u16),
}

/// Side effects `update` hands back to the event loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
}
