// DAISY Ace (the EPUB checker) drives a browser with puppeteer: Debian's Chromium, never a downloaded one.
module.exports = {
  skipDownload: true,
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
};
