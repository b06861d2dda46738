//! Response bodies of objects kept in temporary files: read in chunks as the client takes them,
//! at their own offsets, so that any number of responses share one file.

use std::sync::Arc;

use axum::body::Body;
use bytes::Bytes;

use super::fetch::blocking;

/// How much of the file one read takes.
const CHUNK: u64 = 64 * 1024;

/// A body of the bytes `start..end` of `file`.
pub(super) fn file_body(file: Arc<std::fs::File>, start: u64, end: u64) -> Body {
    let chunks = futures::stream::try_unfold(start, move |at| {
        let file = Arc::clone(&file);
        async move {
            if at >= end {
                return Ok(None);
            }
            let len = CHUNK.min(end - at) as usize;
            let buffer = blocking(move || {
                let mut buffer = vec![0; len];
                read_exact_at(&file, &mut buffer, at)?;
                Ok(buffer)
            })
            .await?;
            Ok::<_, std::io::Error>(Some((Bytes::from(buffer), at + len as u64)))
        }
    });
    Body::from_stream(chunks)
}

#[cfg(unix)]
fn read_exact_at(file: &std::fs::File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_exact_at(
    file: &std::fs::File,
    mut buffer: &mut [u8],
    mut offset: u64,
) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buffer.is_empty() {
        match file.seek_read(buffer, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buffer = &mut buffer[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}
