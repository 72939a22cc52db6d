//! `obi bake` and `obi extract` (filled in with the bakery).

#[derive(clap::Args)]
pub struct BakeArgs {
    /// The image to bake into.
    image: String,
}

#[derive(clap::Args)]
pub struct ExtractArgs {
    /// The baked image.
    image: String,
}

pub fn bake(_args: BakeArgs) -> anyhow::Result<u8> {
    anyhow::bail!("bake: not built yet")
}

pub fn extract(_args: ExtractArgs) -> anyhow::Result<u8> {
    anyhow::bail!("extract: not built yet")
}
