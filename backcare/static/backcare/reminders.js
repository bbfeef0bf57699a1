// Reminders page: fill in this device's time zone, and copy the calendar link, on request.
"use strict";
(function () {
  const zoneButton = document.getElementById("use-device-zone");
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zoneButton && zone) {
    const field = document.getElementById(zoneButton.dataset.zoneField);
    zoneButton.hidden = false;
    zoneButton.addEventListener("click", function () {
      field.value = zone;
      field.focus();
    });
  }
  const copyButton = document.getElementById("copy-calendar-url");
  if (copyButton && navigator.clipboard) {
    const url = document.getElementById(copyButton.dataset.copy);
    copyButton.hidden = false;
    copyButton.addEventListener("click", function () {
      navigator.clipboard.writeText(url.value).then(function () {
        copyButton.textContent = copyButton.dataset.copied;
      });
    });
  }
})();
