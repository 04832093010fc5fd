enum MetadataPlaceholder {}
