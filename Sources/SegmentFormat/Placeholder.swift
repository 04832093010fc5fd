enum SegmentFormatPlaceholder {}
